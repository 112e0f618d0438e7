using System.Data.Common;
using System.Globalization;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Quartz's own tables (排程資料表). Quartz does not create them unless told to; a DBA applies the script for the
/// database once (<c>schemas/sql/quartz.&lt;dialect&gt;.sql</c>, which is this output), or the application runs
/// <see cref="ApplyAsync"/> as a deployment step. The script only creates what is missing, so running it twice is safe.
/// </summary>
public static class QuartzSchema
{
    /// <summary>The default table prefix.</summary>
    public const string DefaultTablePrefix = "qrtz_";

    private const string Separator = "--;;"; // a line of its own between statements

    /// <summary>Gets the script for a dialect, with the prefix filled in.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="tablePrefix">The table prefix.</param>
    /// <returns>The script.</returns>
    public static string Script(SqlDialect dialect, string tablePrefix = DefaultTablePrefix)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        if (!SqlDialect.IsValidIdentifier(tablePrefix.TrimEnd('_') + "x"))
        {
            throw new ArgumentException("A table prefix is letters, digits and underscores.", nameof(tablePrefix));
        }

        var resource = dialect.Name switch
        {
            "postgresql" => "create_postgres.sql",
            "sqlserver" => "create_sqlServer.sql",
            "oracle" => "create_oracle.sql",
            "mysql" => "create_mysql_innodb.sql",
            _ => "create_sqlite.sql",
        };
        var assembly = typeof(Quartz.IJob).Assembly;
        using var stream = assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema." + resource)
            ?? throw new InvalidOperationException($"Quartz {assembly.GetName().Version} carries no schema for {dialect.Name}.");
        using var reader = new StreamReader(stream);
        return string.Format(CultureInfo.InvariantCulture, reader.ReadToEnd().ReplaceLineEndings("\n"), tablePrefix, tablePrefix);
    }

    /// <summary>Creates the tables that are missing.</summary>
    /// <param name="dataSource">The scheduler's database.</param>
    /// <param name="dialect">Its dialect.</param>
    /// <param name="tablePrefix">The table prefix.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public static async Task ApplyAsync(DbDataSource dataSource, SqlDialect dialect, string tablePrefix = DefaultTablePrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var statement in ("\n" + Script(dialect, tablePrefix) + "\n").Split("\n" + Separator + "\n").Select(s => s.Trim()).Where(s => s.Split('\n').Any(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal))))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = statement;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
