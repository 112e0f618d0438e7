namespace Portfolio.Sdk.Data;

/// <summary>
/// The host's own database (學習歷程資料庫), stated once for every Portfolio.Sdk package that keeps data in it (the
/// module store, the submission ledger): its SQL dialect and which registered <see cref="System.Data.Common.DbDataSource"/>
/// it is. Bound from <c>Portfolio:Database</c>. The SIS is another database: its dialect is in its mapping profile.
/// </summary>
public sealed class PortfolioDatabaseOptions
{
    /// <summary>The configuration section the options bind from: <c>Portfolio:Database</c>.</summary>
    public const string SectionName = "Portfolio:Database";

    /// <summary>Gets or sets the SQL dialect of the host's database; binds from a name such as <c>postgresql</c>.</summary>
    /// <value>The default value is <see cref="SqlDialect.Sqlite"/>, the embedded default.</value>
    public SqlDialect Dialect { get; set; } = SqlDialect.Sqlite;

    /// <summary>
    /// Gets or sets the service key under which the host registered the database's <see cref="System.Data.Common.DbDataSource"/>
    /// (<c>AddKeyedSingleton&lt;DbDataSource&gt;(key, …)</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the one unkeyed data source, refused when there are several.</value>
    public string? DataSourceKey { get; set; }
}
