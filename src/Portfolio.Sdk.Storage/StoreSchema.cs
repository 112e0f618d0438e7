using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// The tables of the module's store (資料表), as SQL for each dialect. The scripts in <c>schemas/sql/</c> are this
/// output, checked in for DBAs; a test keeps them equal.
/// </summary>
public static class StoreSchema
{
    /// <summary>The course-outcome table.</summary>
    public const string CourseOutcomeTable = "portfolio_course_outcome";

    /// <summary>The 多元表現 table.</summary>
    public const string PerformanceTable = "portfolio_performance";

    /// <summary>The 自傳/學習計畫 table.</summary>
    public const string StudentDocumentTable = "portfolio_student_document";

    /// <summary>The 課程諮詢紀錄 table.</summary>
    public const string CounselingTable = "portfolio_counseling";

    /// <summary>The audit-trail table.</summary>
    public const string AuditTable = "portfolio_audit";

    /// <summary>The schema-version table: one row per applied migration.</summary>
    public const string SchemaVersionTable = "portfolio_schema_version";

    /// <summary>The per-student, per-school-year lock row that serializes the writes that count against caps.</summary>
    public const string StudentYearTable = "portfolio_student_year";

    /// <summary>The credited courses a student took (修課且取得學分), which a course outcome must belong to to be selected.</summary>
    public const string CreditedCourseTable = "portfolio_credited_course";

    /// <summary>The guardian bindings (親子綁定): a 家長 bound to a student, requested, approved by the 導師 or revoked.</summary>
    public const string GuardianBindingTable = "portfolio_guardian_binding";

    /// <summary>The notices raised (通知): one row per notice kind, recipient and event, so that none is raised twice.</summary>
    public const string NoticeTable = "portfolio_notice";

    /// <summary>The rows of each locked per-year package: which item each receipt row key was made from (by the key's SHA-256).</summary>
    public const string PackageRowTable = "portfolio_package_row";

    /// <summary>Gets the schema version this release creates and migrates to.</summary>
    public static int CurrentVersion => Migrations.Count;

    /// <summary>Gets the migrations in order: entry <c>i</c> brings a store from version <c>i</c> to <c>i + 1</c>.</summary>
    private static IReadOnlyList<Func<SqlDialect, SchemaStep[]>> Migrations { get; } = [Version1, Version2, Version3, Version4, Version5];

    /// <summary>Gets the statements that create the store's tables in <paramref name="dialect"/> at <see cref="CurrentVersion"/>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The statements, in order, without trailing semicolons: the version table, every migration, and the version rows.</returns>
    public static IReadOnlyList<string> CreateStatements(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var statements = new List<string> { CreateVersionTable(dialect) };
        for (var version = 1; version <= CurrentVersion; version++)
        {
            statements.AddRange(MigrationStatements(dialect, version));
            statements.Add(RecordVersion(dialect, version));
        }

        return statements;
    }

    /// <summary>Gets the statements that bring a store from <paramref name="version"/> − 1 to <paramref name="version"/>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="version">The version to reach (1 to <see cref="CurrentVersion"/>).</param>
    /// <returns>The statements, without trailing semicolons.</returns>
    public static IReadOnlyList<string> MigrationStatements(SqlDialect dialect, int version)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, CurrentVersion);
        return [.. MigrationSteps(dialect, version).Select(s => s.Sql)];
    }

    // The steps of one migration, each naming the object it creates so that a start can skip what already exists.
    internal static IReadOnlyList<SchemaStep> MigrationSteps(SqlDialect dialect, int version) => Migrations[version - 1](dialect);

    internal static SchemaStep VersionTableStep(SqlDialect dialect) => new(SchemaObjectKind.Table, SchemaVersionTable, SchemaVersionTable, CreateVersionTable(dialect));

    internal static string CreateVersionTable(SqlDialect dialect) =>
        $"CREATE TABLE {dialect.QuoteIdentifier(SchemaVersionTable)} ({dialect.QuoteIdentifier("version")} {dialect.IntegerType} NOT NULL PRIMARY KEY){dialect.TableOptions}";

    internal static string RecordVersion(SqlDialect dialect, int version) =>
        $"INSERT INTO {dialect.QuoteIdentifier(SchemaVersionTable)} ({dialect.QuoteIdentifier("version")}) VALUES ({version.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    // Version 3 (issue 17): the guardian bindings (one row per guardian and student) and the notices raised, keyed by
    // kind, recipient and event: the row is the claim of the node delivering it, then the record that it was sent.
    private static SchemaStep[] Version3(SqlDialect dialect)
    {
        string Q(string name) => dialect.QuoteIdentifier(name);
        var (bigint, integer, varchar, options) = (dialect.BigIntType, dialect.IntegerType, dialect.VarCharType, dialect.TableOptions);
        return
        [
            new(SchemaObjectKind.Table, GuardianBindingTable, GuardianBindingTable, $"CREATE TABLE {Q(GuardianBindingTable)} ("
            + $"{Q("id")} CHAR(36) NOT NULL PRIMARY KEY, {Q("guardian_id")} {varchar}(100) NOT NULL, {Q("student_key")} {varchar}(50) NOT NULL, "
            + $"{Q("class_name")} {varchar}(50), {Q("state")} {integer} NOT NULL, {Q("requested_by")} {varchar}(100) NOT NULL, "
            + $"{Q("decided_by")} {varchar}(100), {Q("version")} {bigint} NOT NULL){options}"),
            new(SchemaObjectKind.Index, GuardianBindingTable, "ux_guardian_binding", $"CREATE UNIQUE INDEX {Q("ux_guardian_binding")} ON {Q(GuardianBindingTable)} ({Q("guardian_id")}, {Q("student_key")})"),
            new(SchemaObjectKind.Index, GuardianBindingTable, "ix_guardian_binding_class", $"CREATE INDEX {Q("ix_guardian_binding_class")} ON {Q(GuardianBindingTable)} ({Q("class_name")}, {Q("state")})"),
            new(SchemaObjectKind.Table, NoticeTable, NoticeTable, $"CREATE TABLE {Q(NoticeTable)} ("
            + $"{Q("kind")} {integer} NOT NULL, {Q("recipient_role")} {integer} NOT NULL, {Q("recipient_key")} {varchar}(100) NOT NULL, "
            + $"{Q("event_key")} {varchar}(200) NOT NULL, {Q("state")} {integer} NOT NULL, {Q("claim_token")} CHAR(36) NOT NULL, "
            + $"{Q("claimed_until")} {bigint} NOT NULL, {Q("attempts")} {integer} NOT NULL, {Q("sent_at")} {bigint}, "
            + $"PRIMARY KEY ({Q("kind")}, {Q("recipient_role")}, {Q("recipient_key")}, {Q("event_key")})){options}"),
        ];
    }

    // Version 4 (issue 17, 歷程交換): a transferred item names the school it came from; such items are the sending
    // school's history, selectable but never edited by the receiving school.
    private static SchemaStep[] Version4(SqlDialect dialect)
    {
        string Q(string name) => dialect.QuoteIdentifier(name);
        SchemaStep AddColumn(string table, string column, string type) => new(SchemaObjectKind.Column, table, column, dialect.Name switch
        {
            "oracle" => $"ALTER TABLE {Q(table)} ADD ({Q(column)} {type})",
            "sqlserver" => $"ALTER TABLE {Q(table)} ADD {Q(column)} {type}",
            _ => $"ALTER TABLE {Q(table)} ADD COLUMN {Q(column)} {type}",
        });
        return
        [
            AddColumn(CourseOutcomeTable, "transferred_from", $"{dialect.VarCharType}(20)"),
            AddColumn(PerformanceTable, "transferred_from", $"{dialect.VarCharType}(20)"),
        ];
    }

    // Version 5 (receipt disputes): the rows of each locked per-year package, by book, year, sheet and the SHA-256 of the
    // row key (the key holds the 身分證號, so only its hash is kept), to find the item behind a disputed receipt row.
    private static SchemaStep[] Version5(SqlDialect dialect)
    {
        string Q(string name) => dialect.QuoteIdentifier(name);
        var (bigint, integer, varchar, options) = (dialect.BigIntType, dialect.IntegerType, dialect.VarCharType, dialect.TableOptions);
        return
        [
            new(SchemaObjectKind.Table, PackageRowTable, PackageRowTable, $"CREATE TABLE {Q(PackageRowTable)} ("
            + $"{Q("book")} {varchar}(50) NOT NULL, {Q("school_year")} {integer} NOT NULL, {Q("sheet")} {varchar}(50) NOT NULL, "
            + $"{Q("row_key_sha256")} CHAR(64) NOT NULL, {Q("item_id")} CHAR(36) NOT NULL, {Q("packaged_version")} {bigint} NOT NULL, "
            + $"PRIMARY KEY ({Q("book")}, {Q("school_year")}, {Q("sheet")}, {Q("row_key_sha256")})){options}"),
        ];
    }

    // Version 2 (issue 12): 多元表現 keep their 簡述 and proof files; the lock row per student and school year; the
    // credited courses; indexes for the queues, class views and statistics.
    private static SchemaStep[] Version2(SqlDialect dialect)
    {
        string Q(string name) => dialect.QuoteIdentifier(name);
        var (text, bigint, integer, varchar) = (dialect.TextType, dialect.BigIntType, dialect.IntegerType, dialect.VarCharType);
        SchemaStep AddColumn(string table, string column, string type) => new(SchemaObjectKind.Column, table, column, dialect.Name switch
        {
            "oracle" => $"ALTER TABLE {Q(table)} ADD ({Q(column)} {type})",
            "sqlserver" => $"ALTER TABLE {Q(table)} ADD {Q(column)} {type}",
            _ => $"ALTER TABLE {Q(table)} ADD COLUMN {Q(column)} {type}",
        });
        return
        [
            AddColumn(PerformanceTable, "summary", text),
            AddColumn(PerformanceTable, "file_hashes", text),
            new(SchemaObjectKind.Table, StudentYearTable, StudentYearTable, $"CREATE TABLE {Q(StudentYearTable)} ({Q("student_key")} {varchar}(50) NOT NULL, {Q("school_year")} {integer} NOT NULL, "
            + $"{Q("writes")} {bigint} NOT NULL, PRIMARY KEY ({Q("student_key")}, {Q("school_year")})){dialect.TableOptions}"),
            new(SchemaObjectKind.Table, CreditedCourseTable, CreditedCourseTable, $"CREATE TABLE {Q(CreditedCourseTable)} ({Q("student_key")} {varchar}(50) NOT NULL, {Q("school_year")} {integer} NOT NULL, "
            + $"{Q("term")} {integer} NOT NULL, {Q("course_code")} CHAR(23) NOT NULL, {Q("class_name")} {varchar}(50), "
            + $"PRIMARY KEY ({Q("student_key")}, {Q("school_year")}, {Q("term")}, {Q("course_code")})){dialect.TableOptions}"),
            new(SchemaObjectKind.Index, CourseOutcomeTable, "ix_course_outcome_teacher", $"CREATE INDEX {Q("ix_course_outcome_teacher")} ON {Q(CourseOutcomeTable)} ({Q("certifying_teacher")}, {Q("state")})"),
            new(SchemaObjectKind.Index, CourseOutcomeTable, "ix_course_outcome_proxy", $"CREATE INDEX {Q("ix_course_outcome_proxy")} ON {Q(CourseOutcomeTable)} ({Q("proxy_teacher")}, {Q("state")})"),
            new(SchemaObjectKind.Index, CourseOutcomeTable, "ix_course_outcome_class", $"CREATE INDEX {Q("ix_course_outcome_class")} ON {Q(CourseOutcomeTable)} ({Q("school_year")}, {Q("class_name")})"),
            new(SchemaObjectKind.Index, CourseOutcomeTable, "ix_course_outcome_year", $"CREATE INDEX {Q("ix_course_outcome_year")} ON {Q(CourseOutcomeTable)} ({Q("student_key")}, {Q("school_year")}, {Q("term")})"),
            new(SchemaObjectKind.Index, CreditedCourseTable, "ix_credited_course_class", $"CREATE INDEX {Q("ix_credited_course_class")} ON {Q(CreditedCourseTable)} ({Q("school_year")}, {Q("class_name")})"),
            new(SchemaObjectKind.Index, PerformanceTable, "ix_performance_class", $"CREATE INDEX {Q("ix_performance_class")} ON {Q(PerformanceTable)} ({Q("class_name")}, {Q("item_date")})"),
        ];
    }

    // Version 1: the tables of the first release, exactly as they landed (existing stores have them).
    private static SchemaStep[] Version1(SqlDialect dialect)
    {
        string Q(string name) => dialect.QuoteIdentifier(name);
        var (text, bigint, integer, varchar, options) = (dialect.TextType, dialect.BigIntType, dialect.IntegerType, dialect.VarCharType, dialect.TableOptions);
        return
        [
            new(SchemaObjectKind.Table, CourseOutcomeTable, CourseOutcomeTable, $"CREATE TABLE {Q(CourseOutcomeTable)} ("
            + $"{Q("id")} CHAR(36) NOT NULL PRIMARY KEY, {Q("student_key")} {varchar}(50) NOT NULL, {Q("class_name")} {varchar}(50), "
            + $"{Q("school_year")} {integer} NOT NULL, {Q("term")} {integer} NOT NULL, {Q("course_code")} CHAR(23) NOT NULL, {Q("kind")} {integer} NOT NULL, "
            + $"{Q("summary")} {text} NOT NULL, {Q("file_hashes")} {text}, {Q("state")} {integer} NOT NULL, {Q("certifying_teacher")} {varchar}(100) NOT NULL, "
            + $"{Q("proxy_teacher")} {varchar}(100), {Q("certification_note")} {text}, {Q("selected_for")} {integer}, {Q("is_locked")} {integer} NOT NULL, "
            + $"{Q("version")} {bigint} NOT NULL){options}"),
            new(SchemaObjectKind.Index, CourseOutcomeTable, "ix_course_outcome_student", $"CREATE INDEX {Q("ix_course_outcome_student")} ON {Q(CourseOutcomeTable)} ({Q("student_key")}, {Q("selected_for")})"),
            new(SchemaObjectKind.Table, PerformanceTable, PerformanceTable, $"CREATE TABLE {Q(PerformanceTable)} ("
            + $"{Q("id")} CHAR(36) NOT NULL PRIMARY KEY, {Q("student_key")} {varchar}(50) NOT NULL, {Q("class_name")} {varchar}(50), "
            + $"{Q("category")} {varchar}(50) NOT NULL, {Q("item_date")} {integer} NOT NULL, {Q("school_entered")} {integer} NOT NULL, "
            + $"{Q("selected_for")} {integer}, {Q("is_locked")} {integer} NOT NULL, {Q("version")} {bigint} NOT NULL, {Q("fields_json")} {text}){options}"),
            new(SchemaObjectKind.Index, PerformanceTable, "ix_performance_student", $"CREATE INDEX {Q("ix_performance_student")} ON {Q(PerformanceTable)} ({Q("student_key")}, {Q("selected_for")})"),
            new(SchemaObjectKind.Table, StudentDocumentTable, StudentDocumentTable, $"CREATE TABLE {Q(StudentDocumentTable)} ("
            + $"{Q("id")} CHAR(36) NOT NULL PRIMARY KEY, {Q("student_key")} {varchar}(50) NOT NULL, {Q("kind")} {integer} NOT NULL, "
            + $"{Q("body")} {text} NOT NULL, {Q("file_hashes")} {text}, {Q("version")} {bigint} NOT NULL){options}"),
            new(SchemaObjectKind.Table, CounselingTable, CounselingTable, $"CREATE TABLE {Q(CounselingTable)} ("
            + $"{Q("id")} CHAR(36) NOT NULL PRIMARY KEY, {Q("counselor_id")} {varchar}(100) NOT NULL, {Q("student_keys")} {text} NOT NULL, "
            + $"{Q("record_date")} {integer} NOT NULL, {Q("form")} {integer} NOT NULL, {Q("topic")} {text} NOT NULL, {Q("notes")} {text}, "
            + $"{Q("attachment_hashes")} {text}, {Q("version")} {bigint} NOT NULL){options}"),
            new(SchemaObjectKind.Table, AuditTable, AuditTable, $"CREATE TABLE {Q(AuditTable)} ("
            + $"{Q("sequence")} {bigint} NOT NULL PRIMARY KEY, {Q("at_utc_ticks")} {bigint} NOT NULL, {Q("actor_id")} {varchar}(100) NOT NULL, "
            + $"{Q("action")} {varchar}(100) NOT NULL, {Q("entity_type")} {varchar}(50) NOT NULL, {Q("entity_id")} {varchar}(100) NOT NULL, "
            + $"{Q("before_json")} {text}, {Q("after_json")} {text}, {Q("previous_hash")} CHAR(64) NOT NULL, {Q("hash")} CHAR(64) NOT NULL){options}"),
        ];
    }

    /// <summary>Gets the whole script for a dialect, as checked in under <c>schemas/sql/</c>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The script.</returns>
    public static string Script(SqlDialect dialect) =>
        $"-- Portfolio.Sdk store tables for {dialect.Name}. Generated by StoreSchema.Script; do not edit by hand.\n"
        + string.Concat(CreateStatements(dialect).Select(s => s + ";\n"));
}

/// <summary>What a schema step creates: a table, an index, or a column added to a table.</summary>
internal enum SchemaObjectKind
{
    /// <summary>A table.</summary>
    Table,

    /// <summary>An index on <see cref="SchemaStep.Table"/>.</summary>
    Index,

    /// <summary>A column of <see cref="SchemaStep.Table"/>.</summary>
    Column,
}

/// <summary>One statement of a migration and the object it creates, so that a start can check whether it is there.</summary>
/// <param name="Kind">What the statement creates.</param>
/// <param name="Table">The table created, indexed or altered.</param>
/// <param name="Name">The table, index or column name.</param>
/// <param name="Sql">The statement, without a trailing semicolon.</param>
internal sealed record SchemaStep(SchemaObjectKind Kind, string Table, string Name, string Sql);
