using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// The module's store (學習歷程資料庫) in the vendor's database: course outcomes and 多元表現 saved with optimistic concurrency,
/// and every change appended to the hash-chained audit trail in the same transaction, so a change and its audit
/// record exist together or not at all.
/// </summary>
public sealed partial class PortfolioStore
{
    private const int AppendAttempts = 8;

    // A start loses a race at most once per migration (each loss means another process completed that migration, which
    // the next attempt then skips), plus the version table and a busy database: enough attempts for every migration.
    private static int SchemaAttempts => StoreSchema.CurrentVersion + 3;

    // The audit table's columns in the order ReadAuditEntry reads them and the INSERT writes them.
    private static readonly string[] AuditColumns = ["sequence", "at_utc_ticks", "actor_id", "action", "entity_type", "entity_id", "before_json", "after_json", "previous_hash", "hash"];
    private readonly DbDataSource _dataSource;
    private readonly TimeProvider _clock;

    /// <summary>Initializes a store.</summary>
    /// <param name="dataSource">The vendor database.</param>
    /// <param name="dialect">Its dialect.</param>
    /// <param name="clock">The clock of the store's timings; <see cref="TimeProvider.System"/> when <see langword="null"/>.
    /// A retry's back-off after a lost race always waits in real time, so a fake clock never stalls it.</param>
    public PortfolioStore(DbDataSource dataSource, SqlDialect dialect, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        Dialect = dialect;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Gets the dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>
    /// Creates the store's tables, or migrates an existing store to <see cref="StoreSchema.CurrentVersion"/>: idempotent,
    /// so every start of a host may call it (a second start changes nothing). A store created by the first release
    /// (its tables without a version table) is recognised as version 1 and migrated. Each migration runs in one
    /// transaction where the database's DDL is transactional (PostgreSQL, SQLite, SQL Server); every table, index and
    /// column is looked up in the database's catalogue before it is created, so a store left half-made by a database
    /// without transactional DDL (MySQL/MariaDB, Oracle) or by a process killed part-way is completed by the next start.
    /// Concurrent first starts end with one schema.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task CreateSchemaAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DbException) when (attempt < SchemaAttempts)
            {
                // Another process created or migrated the same store at the same moment (a duplicate object, a version
                // row already there, a busy database): look again; whatever it made is skipped this time.
            }
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var current = await SchemaVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current < 0)
        {
            // No version table: a new database, a store half-made before its version table, or the first release's
            // tables. Version 1 is then re-checked step by step: the first release's tables are all found and kept.
            await ApplyAsync([StoreSchema.VersionTableStep(Dialect)], version: null, cancellationToken).ConfigureAwait(false);
            current = 0;
        }

        for (var version = current + 1; version <= StoreSchema.CurrentVersion; version++)
        {
            await ApplyAsync(StoreSchema.MigrationSteps(Dialect, version), version, cancellationToken).ConfigureAwait(false);
        }
    }

    // The steps of one migration, each skipped when its object is already in the catalogue, then its version row (unless
    // recorded already): in one transaction where the dialect's DDL is transactional (all or nothing), else one by one.
    private async Task ApplyAsync(IReadOnlyList<SchemaStep> steps, int? version, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transactional = Dialect == SqlDialect.PostgreSql || Dialect == SqlDialect.Sqlite || Dialect == SqlDialect.SqlServer;
            var transaction = transactional ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
            try
            {
                foreach (var step in steps)
                {
                    if (!await ExistsAsync(connection, transaction, step, cancellationToken).ConfigureAwait(false))
                    {
                        try
                        {
                            await NonQueryAsync(connection, transaction, step.Sql, [], cancellationToken).ConfigureAwait(false);
                        }
                        catch (DbException) when (transaction is null)
                        {
                            // Without transactional DDL another process may have made the same object in between: it stands.
                            if (!await ExistsAsync(connection, null, step, cancellationToken).ConfigureAwait(false))
                            {
                                throw;
                            }
                        }
                    }
                }

                if (version is { } recorded)
                {
                    var count = await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {Q(StoreSchema.SchemaVersionTable)} WHERE {Q("version")} = {Dialect.ParameterMarker(0)}", [recorded], cancellationToken).ConfigureAwait(false);
                    if (count == 0)
                    {
                        await NonQueryAsync(connection, transaction, StoreSchema.RecordVersion(Dialect, recorded), [], cancellationToken).ConfigureAwait(false);
                    }
                }

                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (transaction is not null)
                {
                    await transaction.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    // Looks the step's object up in the dialect's catalogue (a query that never fails, so a transaction stays usable).
    private async Task<bool> ExistsAsync(DbConnection connection, DbTransaction? transaction, SchemaStep step, CancellationToken cancellationToken)
    {
        var (p0, p1) = (Dialect.ParameterMarker(0), Dialect.ParameterMarker(1));
        var (sql, values) = (Dialect.Name, step.Kind) switch
        {
            ("sqlite", SchemaObjectKind.Table) => ($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = {p0}", new object[] { step.Name }),
            ("sqlite", SchemaObjectKind.Index) => ($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = {p0}", [step.Name]),
            ("sqlite", SchemaObjectKind.Column) => ($"SELECT COUNT(*) FROM pragma_table_info({p0}) WHERE name = {p1}", [step.Table, step.Name]),
            ("postgresql", SchemaObjectKind.Table) => ($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {p0}", [step.Name]),
            ("postgresql", SchemaObjectKind.Index) => ($"SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = {p0}", [step.Name]),
            ("postgresql", SchemaObjectKind.Column) => ($"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {p0} AND column_name = {p1}", [step.Table, step.Name]),
            ("mysql", SchemaObjectKind.Table) => ($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = {p0}", [step.Name]),
            ("mysql", SchemaObjectKind.Index) => ($"SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = {p0} AND index_name = {p1}", [step.Table, step.Name]),
            ("mysql", SchemaObjectKind.Column) => ($"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = {p0} AND column_name = {p1}", [step.Table, step.Name]),
            ("sqlserver", SchemaObjectKind.Table) => ($"SELECT COUNT(*) FROM sys.tables WHERE schema_id = SCHEMA_ID() AND name = {p0}", [step.Name]),
            ("sqlserver", SchemaObjectKind.Index) => ($"SELECT COUNT(*) FROM sys.indexes WHERE object_id = OBJECT_ID(QUOTENAME(SCHEMA_NAME()) + '.' + QUOTENAME({p0})) AND name = {p1}", [step.Table, step.Name]),
            ("sqlserver", SchemaObjectKind.Column) => ($"SELECT COUNT(*) FROM sys.columns WHERE object_id = OBJECT_ID(QUOTENAME(SCHEMA_NAME()) + '.' + QUOTENAME({p0})) AND name = {p1}", [step.Table, step.Name]),
            ("oracle", SchemaObjectKind.Table) => ($"SELECT COUNT(*) FROM user_tables WHERE table_name = {p0}", [step.Name]),
            ("oracle", SchemaObjectKind.Index) => ($"SELECT COUNT(*) FROM user_indexes WHERE index_name = {p0}", [step.Name]),
            ("oracle", SchemaObjectKind.Column) => ($"SELECT COUNT(*) FROM user_tab_columns WHERE table_name = {p0} AND column_name = {p1}", [step.Table, step.Name]),
            _ => throw new NotSupportedException($"No catalogue lookup for the {Dialect.Name} dialect."),
        };
        return await ScalarAsync(connection, transaction, sql, values, cancellationToken).ConfigureAwait(false) > 0;
    }

    private async Task<long> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, object[] values, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, sql, values);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    private async Task NonQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, object[] values, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, sql, values);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gets the schema version of the store: −1 when it has no version table (new, or created by the first release).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The highest applied migration.</returns>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        if (!await TableExistsAsync(StoreSchema.SchemaVersionTable, cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT MAX({Q("version")}) FROM {Q(StoreSchema.SchemaVersionTable)}");
            await using (command.ConfigureAwait(false))
            {
                var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
            }
        }
    }

    // A table exists when selecting nothing from it succeeds; outside any transaction, so a failure aborts nothing.
    private async Task<bool> TableExistsAsync(string table, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT COUNT(*) FROM {Q(table)} WHERE 1 = 0");
            await using (command.ConfigureAwait(false))
            {
                try
                {
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (DbException)
                {
                    return false;
                }
            }
        }
    }

    /// <summary>Adds a new course outcome, with its audit entry.</summary>
    /// <param name="outcome">The outcome (version 1).</param>
    /// <param name="actor">Who created it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public Task AddAsync(CourseOutcome outcome, PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(actor);
        return InsertAsync(StoreSchema.CourseOutcomeTable, Columns(outcome), actor, "course-outcome.create", "course-outcome", outcome.Id, Snapshot(outcome), cancellationToken);
    }

    /// <summary>
    /// Saves a changed course outcome if nobody changed it since <paramref name="before"/> was read, and appends
    /// its audit entry (before and after) in the same transaction.
    /// </summary>
    /// <param name="before">The outcome as read.</param>
    /// <param name="after">The outcome after a workflow transition.</param>
    /// <param name="actor">Who changed it.</param>
    /// <param name="action">What was done, e.g. <c>course-outcome.certify</c>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved outcome, or a <c>PF3104</c> refusal when someone else saved first.</returns>
    public async Task<PortfolioResult<CourseOutcome>> SaveAsync(CourseOutcome before, CourseOutcome after, PortfolioActor actor, string action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Result(after, await UpdateAsync(StoreSchema.CourseOutcomeTable, before.Id, after.Id, before.Version, Columns(after), actor, action, "course-outcome",
            Snapshot(before), Snapshot(after), async ct => (await GetAsync(before.Id, ct).ConfigureAwait(false))?.Version, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads a course outcome.</summary>
    /// <param name="id">Its identifier.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The outcome, or <see langword="null"/>.</returns>
    public Task<CourseOutcome?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SelectByIdAsync(StoreSchema.CourseOutcomeTable, Columns((CourseOutcome?)null), id, Read, cancellationToken);

    /// <summary>Counts a student's course outcomes selected for a school year (for the selection cap).</summary>
    /// <param name="studentKey">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count.</returns>
    public Task<int> CountSelectedAsync(string studentKey, SchoolYear year, CancellationToken cancellationToken = default) =>
        CountAsync($"SELECT COUNT(*) FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {Dialect.ParameterMarker(0)} AND {Q("selected_for")} = {Dialect.ParameterMarker(1)}", [studentKey, year.RocYear], cancellationToken);

    /// <summary>Adds a 多元表現 item, with its audit entry.</summary>
    /// <param name="item">The item (version 1).</param>
    /// <param name="actor">Who created it (the student, or staff importing it).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public Task AddAsync(PerformanceItem item, PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(actor);
        return InsertAsync(StoreSchema.PerformanceTable, Columns(item), actor, "performance.create", "performance", item.Id, Snapshot(item), cancellationToken);
    }

    /// <summary>Saves a changed 多元表現 item if nobody changed it since <paramref name="before"/> was read, with its audit entry.</summary>
    /// <param name="before">The item as read.</param>
    /// <param name="after">The item after the change.</param>
    /// <param name="actor">Who changed it.</param>
    /// <param name="action">What was done, e.g. <c>performance.select</c>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved item, or a <c>PF3104</c> refusal when someone else saved first.</returns>
    public async Task<PortfolioResult<PerformanceItem>> SaveAsync(PerformanceItem before, PerformanceItem after, PortfolioActor actor, string action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Result(after, await UpdateAsync(StoreSchema.PerformanceTable, before.Id, after.Id, before.Version, Columns(after), actor, action, "performance",
            Snapshot(before), Snapshot(after), async ct => (await GetPerformanceAsync(before.Id, ct).ConfigureAwait(false))?.Version, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads a 多元表現 item.</summary>
    /// <param name="id">Its identifier.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The item, or <see langword="null"/>.</returns>
    public Task<PerformanceItem?> GetPerformanceAsync(Guid id, CancellationToken cancellationToken = default) =>
        SelectByIdAsync(StoreSchema.PerformanceTable, Columns((PerformanceItem?)null), id, ReadPerformance, cancellationToken);

    /// <summary>Counts a student's 多元表現 selected for a school year; school-entered records are not counted.</summary>
    /// <param name="studentKey">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count.</returns>
    public Task<int> CountSelectedPerformancesAsync(string studentKey, SchoolYear year, CancellationToken cancellationToken = default) =>
        CountAsync($"SELECT COUNT(*) FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {Dialect.ParameterMarker(0)} AND {Q("selected_for")} = {Dialect.ParameterMarker(1)} AND {Q("school_entered")} = 0", [studentKey, year.RocYear], cancellationToken);

    /// <summary>Adds a student's 自傳 or 學習計畫, with its audit entry.</summary>
    /// <param name="document">The document (version 1).</param>
    /// <param name="actor">Who created it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public Task AddAsync(StudentDocument document, PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(actor);
        return InsertAsync(StoreSchema.StudentDocumentTable, Columns(document), actor, "student-document.create", "student-document", document.Id, Snapshot(document), cancellationToken);
    }

    /// <summary>Saves a changed 自傳 or 學習計畫 if nobody changed it since <paramref name="before"/> was read, with its audit entry.</summary>
    /// <param name="before">The document as read.</param>
    /// <param name="after">The document after the edit.</param>
    /// <param name="actor">Who changed it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved document, or a <c>PF3104</c> refusal when someone else saved first.</returns>
    public async Task<PortfolioResult<StudentDocument>> SaveAsync(StudentDocument before, StudentDocument after, PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Result(after, await UpdateAsync(StoreSchema.StudentDocumentTable, before.Id, after.Id, before.Version, Columns(after), actor, "student-document.edit", "student-document",
            Snapshot(before), Snapshot(after), async ct => (await GetStudentDocumentAsync(before.Id, ct).ConfigureAwait(false))?.Version, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads a 自傳 or 學習計畫.</summary>
    /// <param name="id">Its identifier.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document, or <see langword="null"/>.</returns>
    public Task<StudentDocument?> GetStudentDocumentAsync(Guid id, CancellationToken cancellationToken = default) =>
        SelectByIdAsync(StoreSchema.StudentDocumentTable, Columns((StudentDocument?)null), id, r => new StudentDocument
        {
            Id = ReadId(r, 0),
            StudentKey = r.GetString(1),
            Kind = (StudentDocumentKind)Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture),
            Text = r.GetString(3),
            FileHashes = Split(r.IsDBNull(4) ? null : r.GetString(4)),
            Version = Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture),
        }, cancellationToken);

    /// <summary>Adds a 課程諮詢紀錄 (it stays in the school), with its audit entry.</summary>
    /// <param name="record">The record, as <see cref="CounselingRecord.Create"/> returned it.</param>
    /// <param name="actor">Who recorded it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public Task AddAsync(CounselingRecord record, PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(actor);
        return InsertAsync(StoreSchema.CounselingTable, Columns(record), actor, "counseling.create", "counseling", record.Id, Snapshot(record), cancellationToken);
    }

    /// <summary>Reads a 課程諮詢紀錄.</summary>
    /// <param name="id">Its identifier.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public Task<CounselingRecord?> GetCounselingAsync(Guid id, CancellationToken cancellationToken = default) =>
        SelectByIdAsync(StoreSchema.CounselingTable, Columns((CounselingRecord?)null), id, r =>
        {
            var date = Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture);
            return new CounselingRecord
            {
                Id = ReadId(r, 0),
                CounselorId = r.GetString(1),
                StudentKeys = Split(r.GetString(2)),
                Date = new DateOnly(date / 10000, date / 100 % 100, date % 100),
                Form = (CounselingForm)Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture),
                Topic = r.GetString(5),
                Notes = r.IsDBNull(6) ? null : r.GetString(6),
                AttachmentHashes = Split(r.IsDBNull(7) ? null : r.GetString(7)),
                Version = Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture),
            };
        }, cancellationToken);

    /// <summary>Reads the audit trail in sequence order, streaming; pass it to <see cref="AuditTrail.Verify"/> to check it.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<AuditEntry> ReadAuditAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT {AuditColumnList} FROM {Q(StoreSchema.AuditTable)} ORDER BY {Q("sequence")}");
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return ReadAuditEntry(reader);
                    }
                }
            }
        }
    }

    private Task<bool> InsertAsync(string table, List<(string Name, object Value)> columns, PortfolioActor actor, string action, string entityType, Guid id, string snapshot, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var sql = $"INSERT INTO {Q(table)} ({string.Join(", ", columns.Select(c => Q(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => Dialect.ParameterMarker(i)))})";
            var command = Command(connection, transaction, sql, [.. columns.Select(c => c.Value)]);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await AppendAuditAsync(connection, transaction, actor.UserId, action, entityType, id, null, snapshot, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    // UPDATE … WHERE id AND version: zero rows means someone saved first, and the transaction (with its audit entry) is rolled back.
    private static PortfolioResult<T> Result<T>(T saved, Diagnostic? problem)
        where T : class => problem is null ? PortfolioResult<T>.Ok(saved) : PortfolioResult<T>.Refused(problem);

    private async Task<Diagnostic?> UpdateAsync(string table, Guid beforeId, Guid afterId, long expectedVersion, List<(string Name, object Value)> columns, PortfolioActor actor, string action,
        string entityType, string beforeSnapshot, string afterSnapshot, Func<CancellationToken, Task<long?>> currentVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        if (beforeId != afterId)
        {
            throw new ArgumentException("Before and after must be the same record.", nameof(afterId));
        }

        var saved = await InTransactionAsync(async (connection, transaction) =>
        {
            var values = columns.Where(c => c.Name != "id").ToList();
            var sets = string.Join(", ", values.Select((c, i) => $"{Q(c.Name)} = {Dialect.ParameterMarker(i)}"));
            var sql = $"UPDATE {Q(table)} SET {sets} WHERE {Q("id")} = {Dialect.ParameterMarker(values.Count)} AND {Q("version")} = {Dialect.ParameterMarker(values.Count + 1)}";
            var command = Command(connection, transaction, sql, [.. values.Select(c => c.Value), beforeId.ToString("D"), expectedVersion]);
            await using (command.ConfigureAwait(false))
            {
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                {
                    return false;
                }
            }

            await AppendAuditAsync(connection, transaction, actor.UserId, action, entityType, afterId, beforeSnapshot, afterSnapshot, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        return saved ? null : DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, await currentVersion(cancellationToken).ConfigureAwait(false) ?? 0);
    }

    private async Task<T?> SelectByIdAsync<T>(string table, List<(string Name, object Value)> columns, Guid id, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, $"SELECT {string.Join(", ", columns.Select(c => Q(c.Name)))} FROM {Q(table)} WHERE {Q("id")} = {Dialect.ParameterMarker(0)}", id.ToString("D"));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
                }
            }
        }
    }

    private async Task<int> CountAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, sql, values);
            await using (command.ConfigureAwait(false))
            {
                return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }
    }

    private static string[] Split(string? list) => list is { Length: > 0 } ? list.Split(',') : [];

    private static string Snapshot(StudentDocument d) => JsonSerializer.Serialize(new { d.Id, d.StudentKey, d.Kind, d.Text, d.FileHashes, d.Version });

    private static string Snapshot(CounselingRecord c) =>
        JsonSerializer.Serialize(new { c.Id, c.CounselorId, c.StudentKeys, Date = c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Form, c.Topic, c.Notes, c.AttachmentHashes, c.Version });

    private static List<(string Name, object Value)> Columns(StudentDocument? d) =>
    [
        ("id", d?.Id.ToString("D") ?? string.Empty), ("student_key", d?.StudentKey ?? string.Empty), ("kind", d is null ? 0 : (int)d.Kind),
        ("body", d?.Text ?? string.Empty), ("file_hashes", string.Join(',', d?.FileHashes ?? [])), ("version", d?.Version ?? 0L),
    ];

    private static List<(string Name, object Value)> Columns(CounselingRecord? c) =>
    [
        ("id", c?.Id.ToString("D") ?? string.Empty), ("counselor_id", c?.CounselorId ?? string.Empty), ("student_keys", string.Join(',', c?.StudentKeys ?? [])),
        ("record_date", c is null ? 0 : (c.Date.Year * 10000) + (c.Date.Month * 100) + c.Date.Day), ("form", c is null ? 0 : (int)c.Form),
        ("topic", c?.Topic ?? string.Empty), ("notes", (object?)c?.Notes ?? DBNull.Value), ("attachment_hashes", string.Join(',', c?.AttachmentHashes ?? [])),
        ("version", c?.Version ?? 0L),
    ];

    private static string Snapshot(CourseOutcome outcome) => JsonSerializer.Serialize(new
    {
        outcome.Id,
        outcome.StudentKey,
        Term = outcome.Term.ToString(),
        CourseCode = outcome.CourseCode.Value,
        outcome.Kind,
        outcome.Summary,
        outcome.FileHashes,
        outcome.State,
        outcome.CertifyingTeacher,
        outcome.ProxyTeacher,
        outcome.CertificationNote,
        SelectedFor = outcome.SelectedFor?.RocYear,
        outcome.IsLocked,
        outcome.Version,
        outcome.TransferredFrom,
    });

    private static string Snapshot(PerformanceItem item) => JsonSerializer.Serialize(new
    {
        item.Id,
        item.StudentKey,
        item.Category,
        Date = item.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        item.IsSchoolEntered,
        SelectedFor = item.SelectedFor?.RocYear,
        item.IsLocked,
        item.Version,
        item.FieldsJson,
        item.Summary,
        item.FileHashes,
        item.TransferredFrom,
    });

    // Dates as yyyyMMdd integers: the same in every dialect, and ordered.
    private static List<(string Name, object Value)> Columns(PerformanceItem? p) =>
    [
        ("id", p?.Id.ToString("D") ?? string.Empty), ("student_key", p?.StudentKey ?? string.Empty), ("class_name", (object?)p?.ClassName ?? DBNull.Value),
        ("category", p?.Category ?? string.Empty), ("item_date", p is null ? 0 : (p.Date.Year * 10000) + (p.Date.Month * 100) + p.Date.Day),
        ("school_entered", p?.IsSchoolEntered == true ? 1 : 0), ("selected_for", (object?)p?.SelectedFor?.RocYear ?? DBNull.Value),
        ("is_locked", p?.IsLocked == true ? 1 : 0), ("version", p?.Version ?? 0L), ("fields_json", (object?)p?.FieldsJson ?? DBNull.Value),
        ("summary", (object?)p?.Summary ?? DBNull.Value), ("file_hashes", string.Join(',', p?.FileHashes ?? [])),
        ("transferred_from", (object?)p?.TransferredFrom ?? DBNull.Value),
    ];

    private static PerformanceItem ReadPerformance(DbDataReader r)
    {
        int Int(int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);
        var date = Int(4);
        return new PerformanceItem
        {
            Id = ReadId(r, 0),
            StudentKey = r.GetString(1),
            ClassName = r.IsDBNull(2) ? null : r.GetString(2),
            Category = r.GetString(3),
            Date = new DateOnly(date / 10000, date / 100 % 100, date % 100),
            IsSchoolEntered = Int(5) != 0,
            SelectedFor = r.IsDBNull(6) ? null : new SchoolYear(Int(6)),
            IsLocked = Int(7) != 0,
            Version = Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture),
            FieldsJson = r.IsDBNull(9) ? null : r.GetString(9),
            Summary = r.IsDBNull(10) ? null : r.GetString(10),
            FileHashes = Split(r.IsDBNull(11) ? null : r.GetString(11)),
            TransferredFrom = r.IsDBNull(12) ? null : r.GetString(12),
        };
    }

    private static List<(string Name, object Value)> Columns(CourseOutcome? o) =>
    [
        ("id", o?.Id.ToString("D") ?? string.Empty), ("student_key", o?.StudentKey ?? string.Empty), ("class_name", (object?)o?.ClassName ?? DBNull.Value),
        ("school_year", o?.Term.Year.RocYear ?? 0), ("term", o is null ? 0 : (int)o.Term.Term), ("course_code", o?.CourseCode.Value ?? string.Empty),
        ("kind", o is null ? 0 : (int)o.Kind), ("summary", o?.Summary ?? string.Empty), ("file_hashes", string.Join(',', o?.FileHashes ?? [])),
        ("state", o is null ? 0 : (int)o.State), ("certifying_teacher", o?.CertifyingTeacher ?? string.Empty), ("proxy_teacher", (object?)o?.ProxyTeacher ?? DBNull.Value),
        ("certification_note", (object?)o?.CertificationNote ?? DBNull.Value), ("selected_for", (object?)o?.SelectedFor?.RocYear ?? DBNull.Value),
        ("is_locked", o?.IsLocked == true ? 1 : 0), ("version", o?.Version ?? 0L),
        ("transferred_from", (object?)o?.TransferredFrom ?? DBNull.Value),
    ];

    private static CourseOutcome Read(DbDataReader r)
    {
        int Int(int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new CourseOutcome
        {
            Id = ReadId(r, 0),
            StudentKey = r.GetString(1),
            ClassName = Text(2),
            Term = new SchoolTerm(new SchoolYear(Int(3)), (Term)Int(4)),
            CourseCode = CourseCode.Parse(r.GetString(5).Trim()),
            Kind = (CourseOutcomeKind)Int(6),
            Summary = r.GetString(7),
            FileHashes = Text(8) is { Length: > 0 } hashes ? hashes.Split(',') : [],
            State = (CertificationState)Int(9),
            CertifyingTeacher = r.GetString(10),
            ProxyTeacher = Text(11),
            CertificationNote = Text(12),
            SelectedFor = r.IsDBNull(13) ? null : new SchoolYear(Int(13)),
            IsLocked = Int(14) != 0,
            Version = Convert.ToInt64(r.GetValue(15), CultureInfo.InvariantCulture),
            TransferredFrom = Text(16),
        };
    }

    private string Q(string name) => Dialect.QuoteIdentifier(name);

    // Ids are CHAR(36) text in every dialect, but MySqlConnector reads CHAR(36) as a Guid by default (GuidFormat=Char36,
    // so GetString throws): take a Guid when the driver gives one, else parse the text.
    private static Guid ReadId(DbDataReader r, int ordinal) => r.GetValue(ordinal) switch
    {
        Guid guid => guid,
        var value => Guid.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!.Trim()),
    };

    private string AuditColumnList => string.Join(", ", AuditColumns.Select(Q));

    private static AuditEntry ReadAuditEntry(DbDataReader reader) => new(
        Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
        new DateTimeOffset(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), TimeSpan.Zero),
        reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8).Trim(), reader.GetString(9).Trim());

    private string? AuditLockStatement() => Dialect.Name switch
    {
        "postgresql" => $"LOCK TABLE {Q(StoreSchema.AuditTable)} IN SHARE ROW EXCLUSIVE MODE",
        "oracle" => $"LOCK TABLE {Q(StoreSchema.AuditTable)} IN EXCLUSIVE MODE",
        "sqlserver" => $"SELECT COUNT(*) FROM {Q(StoreSchema.AuditTable)} WITH (TABLOCKX, HOLDLOCK)",
        "mysql" => $"SELECT MAX({Q("sequence")}) FROM {Q(StoreSchema.AuditTable)} FOR UPDATE",
        _ => null,
    };

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params object[] values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = Dialect.ParameterName(i);
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }

        return command;
    }

    // The audit trail is appended with sequence = last + 1 under a primary key, after taking the dialect's lock on the
    // trail; should a write still fail (a busy database, a deadlock victim), the whole transaction is retried.
    private async Task<bool> InTransactionAsync(Func<DbConnection, DbTransaction, Task<bool>> work, CancellationToken cancellationToken) =>
        await InTransactionAsync(async (c, t) =>
        {
            var ok = await work(c, t).ConfigureAwait(false);
            return (ok, ok);
        }, cancellationToken).ConfigureAwait(false);

    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<(bool Commit, T Result)>> work, CancellationToken cancellationToken)
    {
        var system = new KeyValuePair<string, object?>(StorageTelemetry.DatabaseSystemTag, StorageTelemetry.DatabaseSystem(Dialect));
        using var activity = StorageTelemetry.Source.StartActivity("store.transaction", System.Diagnostics.ActivityKind.Client, default(System.Diagnostics.ActivityContext), [system]);
        var started = _clock.GetTimestamp();
        var outcome = "failed";
        try
        {
            var (committed, result) = await InTransactionCoreAsync(work, cancellationToken).ConfigureAwait(false);
            outcome = committed ? "committed" : "rolled_back";
            return result;
        }
        finally
        {
            var tag = new KeyValuePair<string, object?>("portfolio.outcome", outcome);
            StorageTelemetry.Transactions.Add(1, system, tag);
            StorageTelemetry.TransactionDuration.Record(_clock.GetElapsedTime(started).TotalSeconds, system, tag);
            activity?.SetTag(tag.Key, tag.Value);
            if (outcome == "failed")
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            }
        }
    }

    private async Task<(bool Committed, T Result)> InTransactionCoreAsync<T>(Func<DbConnection, DbTransaction, Task<(bool Commit, T Result)>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    // MySQL's default (REPEATABLE READ) would count against the snapshot of the transaction's first read,
                    // taken before the lock of the student's year was granted; READ COMMITTED counts what the lock holder
                    // committed. The other dialects read committed data by default (SQLite's write transactions are serial).
                    var isolation = Dialect == SqlDialect.MySql ? System.Data.IsolationLevel.ReadCommitted : System.Data.IsolationLevel.Unspecified;

                    // The transaction's start is inside the retry too: SQLite takes its write lock there.
                    var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        var (commit, result) = await work(connection, transaction).ConfigureAwait(false);
                        await (commit ? transaction.CommitAsync(cancellationToken) : transaction.RollbackAsync(cancellationToken)).ConfigureAwait(false);
                        return (commit, result);
                    }
                }
            }
            catch (DbException) when (attempt < AppendAttempts)
            {
                // A busy database or a lost race (the transaction, not committed, was rolled back as it was disposed):
                // back off a little, with jitter, and start over. The back-off waits in real time: the injected clock
                // is the school's calendar, and a test's or a what-if run's fake clock that never advances would stall
                // the retry for good.
                StorageTelemetry.Retries.Add(1, new KeyValuePair<string, object?>(StorageTelemetry.DatabaseSystemTag, StorageTelemetry.DatabaseSystem(Dialect)));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AppendAuditAsync(DbConnection connection, DbTransaction transaction, string actorId, string action, string entityType, Guid entityId, string? before, string? after, CancellationToken cancellationToken)
    {
        // Appenders queue for the trail inside their transaction, so "last entry + 1" is not raced. SQLite needs no
        // statement: its write transactions already exclude each other.
        if (AuditLockStatement() is { } lockSql)
        {
            var lockCommand = Command(connection, transaction, lockSql);
            await using (lockCommand.ConfigureAwait(false))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        AuditEntry? last = null;
        var select = Command(connection, transaction, Dialect.Page($"SELECT {AuditColumnList} FROM {Q(StoreSchema.AuditTable)} ORDER BY {Q("sequence")} DESC", 0, 1));
        await using (select.ConfigureAwait(false))
        {
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    last = ReadAuditEntry(reader);
                }
            }
        }

        var entry = AuditTrail.Next(last, _clock, actorId, action, entityType, entityId.ToString("D"), before, after);
        var insert = Command(connection, transaction,
            $"INSERT INTO {Q(StoreSchema.AuditTable)} ({AuditColumnList}) VALUES ({string.Join(", ", Enumerable.Range(0, AuditColumns.Length).Select(Dialect.ParameterMarker))})",
            entry.Sequence, entry.At.UtcTicks, entry.ActorId, entry.Action, entry.EntityType, entry.EntityId, (object?)entry.Before ?? DBNull.Value, (object?)entry.After ?? DBNull.Value, entry.PreviousHash, entry.Hash);
        await using (insert.ConfigureAwait(false))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
