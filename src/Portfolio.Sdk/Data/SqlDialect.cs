using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Sdk.Data;

/// <summary>
/// The SQL of one database family (SQL 方言): how identifiers are quoted, how parameters are written and how a
/// query is paged. Values never go into SQL text: they are bound as parameters. Binds from configuration by name
/// (<see cref="SqlDialectConverter"/>).
/// </summary>
[System.ComponentModel.TypeConverter(typeof(SqlDialectConverter))]
public abstract partial class SqlDialect
{
    /// <summary>Oracle (Oracle.ManagedDataAccess style <c>:p0</c> parameters).</summary>
    public static readonly SqlDialect Oracle = new OracleDialect();

    /// <summary>Microsoft SQL Server.</summary>
    public static readonly SqlDialect SqlServer = new SqlServerDialect();

    /// <summary>PostgreSQL (Npgsql).</summary>
    public static readonly SqlDialect PostgreSql = new PostgreSqlDialect();

    /// <summary>MySQL and MariaDB.</summary>
    public static readonly SqlDialect MySql = new MySqlDialect();

    /// <summary>SQLite (Microsoft.Data.Sqlite).</summary>
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    private protected SqlDialect()
    {
    }

    /// <summary>Gets every dialect.</summary>
    public static IReadOnlyList<SqlDialect> All { get; } = [Oracle, SqlServer, PostgreSql, MySql, Sqlite];

    /// <summary>Gets the dialect's name as used in profiles: <c>oracle</c>, <c>sqlserver</c>, <c>postgresql</c>, <c>mysql</c>, <c>sqlite</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the dialect named <paramref name="name"/> (case-insensitive; <c>postgres</c> and <c>mssql</c> are accepted).</summary>
    /// <param name="name">The name.</param>
    /// <param name="dialect">The dialect, when known.</param>
    /// <returns><see langword="true"/> when known.</returns>
    public static bool TryGet(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SqlDialect? dialect)
    {
        dialect = name?.Trim().ToUpperInvariant() switch
        {
            "ORACLE" => Oracle,
            "SQLSERVER" or "MSSQL" => SqlServer,
            "POSTGRESQL" or "POSTGRES" => PostgreSql,
            "MYSQL" or "MARIADB" => MySql,
            "SQLITE" => Sqlite,
            _ => null,
        };
        return dialect is not null;
    }

    /// <summary>
    /// Whether <paramref name="identifier"/> is a safe table or column name: letters, digits, <c>_</c>, <c>$</c> or
    /// <c>#</c>, not starting with a digit, at most 128 characters, optionally qualified by a schema
    /// (<c>sis.stud_base</c>). Anything else (spaces, quotes, semicolons, comments) is refused, so a profile cannot
    /// inject SQL.
    /// </summary>
    /// <param name="identifier">The identifier.</param>
    /// <returns><see langword="true"/> when safe.</returns>
    public static bool IsValidIdentifier(string? identifier) =>
        identifier is { Length: > 0 and <= 257 } && IdentifierPattern().IsMatch(identifier);

    /// <summary>Quotes an identifier, qualified or not, so that reserved words and case survive.</summary>
    /// <param name="identifier">A valid identifier (see <see cref="IsValidIdentifier(string?)"/>).</param>
    /// <returns>The quoted identifier.</returns>
    /// <exception cref="ArgumentException">The identifier is not valid.</exception>
    public string QuoteIdentifier(string identifier)
    {
        if (!IsValidIdentifier(identifier))
        {
            throw new ArgumentException($"'{identifier}' is not a valid SQL identifier.", nameof(identifier));
        }

        return string.Join('.', identifier.Split('.').Select(QuotePart));
    }

    /// <summary>Gets the marker of the parameter at <paramref name="index"/> as written in SQL, e.g. <c>@p0</c> or <c>:p0</c>.</summary>
    /// <param name="index">The 0-based index.</param>
    /// <returns>The marker.</returns>
    public string ParameterMarker(int index) => ParameterPrefix + ParameterName(index);

    /// <summary>Gets the name of the parameter at <paramref name="index"/> as given to <c>DbParameter.ParameterName</c>.</summary>
    /// <param name="index">The 0-based index.</param>
    /// <returns>The name, e.g. <c>p0</c>.</returns>
    public virtual string ParameterName(int index) => "p" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Pages a query that already has an <c>ORDER BY</c>.</summary>
    /// <param name="orderedSql">The query, ending with its ORDER BY clause.</param>
    /// <param name="offset">The number of rows to skip.</param>
    /// <param name="count">The number of rows to return.</param>
    /// <returns>The paged query.</returns>
    public abstract string Page(string orderedSql, long offset, int count);

    /// <summary>
    /// Rewrites the named placeholders of a profile query (<c>@schoolYear</c>) into this dialect's parameter markers.
    /// </summary>
    /// <param name="sql">The query with <c>@name</c> placeholders.</param>
    /// <param name="names">The placeholders found, in the order of their parameters.</param>
    /// <returns>The query in this dialect.</returns>
    public string RewritePlaceholders(string sql, out IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var found = new List<string>();
        var rewritten = PlaceholderPattern().Replace(sql, match =>
        {
            var name = match.Groups["name"].Value;
            var index = found.IndexOf(name);
            if (index < 0)
            {
                found.Add(name);
                index = found.Count - 1;
            }

            return match.Groups["before"].Value + ParameterMarker(index);
        });
        names = found;
        return rewritten;
    }

    /// <summary>Gets the column type of long text in table scripts: <c>TEXT</c>, <c>CLOB</c> (Oracle), <c>NVARCHAR(MAX)</c> (SQL Server), <c>LONGTEXT</c> (MySQL).</summary>
    public virtual string TextType => "TEXT";

    /// <summary>Gets the column type of 64-bit integers in table scripts: <c>BIGINT</c>, <c>NUMBER(19)</c> (Oracle).</summary>
    public virtual string BigIntType => "BIGINT";

    /// <summary>Gets the column type of 32-bit integers in table scripts: <c>INTEGER</c>, <c>NUMBER(10)</c> (Oracle), <c>INT</c> (SQL Server, MySQL).</summary>
    public virtual string IntegerType => "INTEGER";

    /// <summary>Gets the variable-length string type in table scripts, without its length: <c>VARCHAR</c>, <c>VARCHAR2</c> (Oracle), <c>NVARCHAR</c> (SQL Server).</summary>
    public virtual string VarCharType => "VARCHAR";

    /// <summary>
    /// Gets what table scripts append after a <c>CREATE TABLE</c>'s closing parenthesis: empty, except for MySQL and
    /// MariaDB, whose tables say <c>ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin</c> so that they hold any
    /// Chinese character (4-byte ones too) whatever the database's default character set, and compare keys exactly, as
    /// SQLite and PostgreSQL do (MySQL's default collations ignore case).
    /// </summary>
    public virtual string TableOptions => string.Empty;

    /// <inheritdoc />
    public override string ToString() => Name;

    private protected abstract string ParameterPrefix { get; }

    private protected abstract string QuotePart(string part);

    [GeneratedRegex(@"^[A-Za-z_\p{L}][A-Za-z0-9_$#\p{L}]{0,127}(\.[A-Za-z_\p{L}][A-Za-z0-9_$#\p{L}]{0,127})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    // A placeholder is @name not preceded by another @ (SQL Server's @@ROWCOUNT) or a word character (e-mail text).
    [GeneratedRegex(@"(?<before>^|[^@\w])@(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    private sealed class OracleDialect : SqlDialect
    {
        public override string Name => "oracle";

        public override string TextType => "CLOB";

        public override string BigIntType => "NUMBER(19)";

        public override string IntegerType => "NUMBER(10)";

        public override string VarCharType => "VARCHAR2";

        private protected override string ParameterPrefix => ":";

        public override string Page(string orderedSql, long offset, int count) =>
            string.Create(CultureInfo.InvariantCulture, $"{orderedSql} OFFSET {offset} ROWS FETCH NEXT {count} ROWS ONLY");

        // Unquoted Oracle names are upper case; quoting keeps the case the vendor wrote, so upper-case it as Oracle would.
        private protected override string QuotePart(string part) => "\"" + part.ToUpperInvariant() + "\"";
    }

    private sealed class SqlServerDialect : SqlDialect
    {
        public override string Name => "sqlserver";

        public override string TextType => "NVARCHAR(MAX)";

        public override string IntegerType => "INT";

        public override string VarCharType => "NVARCHAR";

        private protected override string ParameterPrefix => "@";

        public override string Page(string orderedSql, long offset, int count) =>
            string.Create(CultureInfo.InvariantCulture, $"{orderedSql} OFFSET {offset} ROWS FETCH NEXT {count} ROWS ONLY");

        private protected override string QuotePart(string part) => "[" + part + "]";
    }

    private sealed class PostgreSqlDialect : SqlDialect
    {
        public override string Name => "postgresql";

        private protected override string ParameterPrefix => "@";

        public override string Page(string orderedSql, long offset, int count) =>
            string.Create(CultureInfo.InvariantCulture, $"{orderedSql} LIMIT {count} OFFSET {offset}");

        // Unquoted PostgreSQL names fold to lower case.
        private protected override string QuotePart(string part) => "\"" + part.ToLowerInvariant() + "\"";
    }

    private sealed class MySqlDialect : SqlDialect
    {
        public override string Name => "mysql";

        public override string TextType => "LONGTEXT";

        public override string IntegerType => "INT";

        public override string TableOptions => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

        private protected override string ParameterPrefix => "@";

        public override string Page(string orderedSql, long offset, int count) =>
            string.Create(CultureInfo.InvariantCulture, $"{orderedSql} LIMIT {offset}, {count}");

        private protected override string QuotePart(string part) => "`" + part + "`";
    }

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Name => "sqlite";

        private protected override string ParameterPrefix => "@";

        public override string Page(string orderedSql, long offset, int count) =>
            string.Create(CultureInfo.InvariantCulture, $"{orderedSql} LIMIT {count} OFFSET {offset}");

        private protected override string QuotePart(string part) => "\"" + part + "\"";
    }
}
