using System.Data.Common;
using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>The transaction a <see cref="PortfolioModule"/> activity runs in, and the credited courses.</content>
public sealed partial class PortfolioStore
{
    /// <summary>Records the courses a student took and was credited for in a term (修課且取得學分), from the SIS; idempotent.</summary>
    /// <param name="studentKey">The student.</param>
    /// <param name="className">The student's class that term.</param>
    /// <param name="term">The term.</param>
    /// <param name="courses">The credited courses.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many courses were new.</returns>
    public async Task<int> RecordCreditedCoursesAsync(string studentKey, string? className, SchoolTerm term, IEnumerable<CourseCode> courses, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        ArgumentNullException.ThrowIfNull(courses);
        var codes = courses.Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        return await InTransactionAsync(async (connection, transaction) =>
        {
            var scope = new StoreTransaction(this, connection, transaction);
            await scope.LockStudentYearAsync(studentKey, term.Year, cancellationToken).ConfigureAwait(false);
            var added = 0;
            foreach (var code in codes)
            {
                object[] key = [studentKey, term.Year.RocYear, (int)term.Term, code];
                var exists = await scope.CountAsync(
                    $"SELECT COUNT(*) FROM {Q(StoreSchema.CreditedCourseTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("school_year")} = {P(1)} AND {Q("term")} = {P(2)} AND {Q("course_code")} = {P(3)}",
                    key, cancellationToken).ConfigureAwait(false);
                if (exists == 0)
                {
                    await scope.ExecuteAsync(
                        $"INSERT INTO {Q(StoreSchema.CreditedCourseTable)} ({Q("student_key")}, {Q("school_year")}, {Q("term")}, {Q("course_code")}, {Q("class_name")}) VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)})",
                        [.. key, (object?)className ?? DBNull.Value], cancellationToken).ConfigureAwait(false);
                    added++;
                }
            }

            return (true, added);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, retried as a whole when the database reports a lost race.</summary>
    internal Task<T> RunAsync<T>(Func<StoreTransaction, Task<(bool Commit, T Result)>> work, CancellationToken cancellationToken) =>
        InTransactionAsync((connection, transaction) => work(new StoreTransaction(this, connection, transaction)), cancellationToken);

    internal string P(int index) => Dialect.ParameterMarker(index);

    internal static CourseOutcome ReadCourseOutcome(DbDataReader reader) => Read(reader);

    internal static PerformanceItem ReadPerformanceItem(DbDataReader reader) => ReadPerformance(reader);

    internal static string CourseOutcomeColumnList(Func<string, string> quote) => string.Join(", ", Columns((CourseOutcome?)null).Select(c => quote(c.Name)));

    internal static string PerformanceColumnList(Func<string, string> quote) => string.Join(", ", Columns((PerformanceItem?)null).Select(c => quote(c.Name)));

    internal string QuoteName(string name) => Q(name);

    internal DbDataSource DataSource => _dataSource;

    internal DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string sql, params object[] values) => Command(connection, transaction, sql, values);

    /// <summary>One open transaction of the store: the lock per student and year, reads, counts and writes with their audit entries.</summary>
    internal sealed class StoreTransaction(PortfolioStore store, DbConnection connection, DbTransaction transaction)
    {
        private string Q(string name) => store.Q(name);

        private string P(int index) => store.P(index);

        /// <summary>
        /// Takes the lock of one student's school year: every write that counts against a cap takes it first, so counts
        /// and writes of concurrent requests (from any number of processes) follow one another. The lock is the update
        /// of a row (a row lock in PostgreSQL, MySQL, SQL Server and Oracle; SQLite's write transactions, begun
        /// IMMEDIATE, already exclude each other); a first request inserts the row, and a concurrent first insert fails
        /// on the primary key, which retries the whole transaction.
        /// </summary>
        public async Task LockStudentYearAsync(string studentKey, SchoolYear year, CancellationToken cancellationToken)
        {
            object[] key = [studentKey, year.RocYear];
            var touched = await ExecuteAsync(
                $"UPDATE {Q(StoreSchema.StudentYearTable)} SET {Q("writes")} = {Q("writes")} + 1 WHERE {Q("student_key")} = {P(0)} AND {Q("school_year")} = {P(1)}",
                key, cancellationToken).ConfigureAwait(false);
            if (touched == 0)
            {
                await ExecuteAsync(
                    $"INSERT INTO {Q(StoreSchema.StudentYearTable)} ({Q("student_key")}, {Q("school_year")}, {Q("writes")}) VALUES ({P(0)}, {P(1)}, 1)",
                    key, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<int> ExecuteAsync(string sql, object[] values, CancellationToken cancellationToken)
        {
            var command = store.Command(connection, transaction, sql, values);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<int> CountAsync(string sql, object[] values, CancellationToken cancellationToken)
        {
            var command = store.Command(connection, transaction, sql, values);
            await using (command.ConfigureAwait(false))
            {
                return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }

        public async Task<List<string>> ReadStringsAsync(string sql, object[] values, CancellationToken cancellationToken)
        {
            var strings = new List<string>();
            var command = store.Command(connection, transaction, sql, values);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (!reader.IsDBNull(0))
                        {
                            strings.Add(reader.GetString(0));
                        }
                    }
                }
            }

            return strings;
        }

        /// <summary>Appends an audit entry in this transaction.</summary>
        public Task AuditAsync(string actorId, string action, string entityType, Guid entityId, string? before, string? after, CancellationToken cancellationToken) =>
            store.AppendAuditAsync(connection, transaction, actorId, action, entityType, entityId, before, after, cancellationToken);

        /// <summary>Reads every row of <paramref name="sql"/> in this transaction.</summary>
        public async Task<List<T>> ReadAsync<T>(string sql, object[] values, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        {
            var rows = new List<T>();
            var command = store.Command(connection, transaction, sql, values);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(read(reader));
                    }
                }
            }

            return rows;
        }

        public Task<CourseOutcome?> GetCourseOutcomeAsync(Guid id, CancellationToken cancellationToken) =>
            ReadOneAsync($"SELECT {CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("id")} = {P(0)}", id, Read, cancellationToken);

        public Task<PerformanceItem?> GetPerformanceAsync(Guid id, CancellationToken cancellationToken) =>
            ReadOneAsync($"SELECT {PerformanceColumnList(Q)} FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("id")} = {P(0)}", id, ReadPerformance, cancellationToken);

        public async Task InsertAsync(CourseOutcome outcome, string actorId, string action, CancellationToken cancellationToken)
        {
            await InsertRowAsync(StoreSchema.CourseOutcomeTable, Columns(outcome), cancellationToken).ConfigureAwait(false);
            await store.AppendAuditAsync(connection, transaction, actorId, action, "course-outcome", outcome.Id, null, Snapshot(outcome), cancellationToken).ConfigureAwait(false);
        }

        public async Task InsertAsync(PerformanceItem item, string actorId, string action, CancellationToken cancellationToken)
        {
            await InsertRowAsync(StoreSchema.PerformanceTable, Columns(item), cancellationToken).ConfigureAwait(false);
            await store.AppendAuditAsync(connection, transaction, actorId, action, "performance", item.Id, null, Snapshot(item), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Writes the change if the row still has <paramref name="before"/>'s version; <see langword="false"/> when it does not.</summary>
        public async Task<bool> UpdateAsync(CourseOutcome before, CourseOutcome after, string actorId, string action, CancellationToken cancellationToken)
        {
            if (!await UpdateRowAsync(StoreSchema.CourseOutcomeTable, before.Id, before.Version, Columns(after), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await store.AppendAuditAsync(connection, transaction, actorId, action, "course-outcome", after.Id, Snapshot(before), Snapshot(after), cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>Writes the change if the row still has <paramref name="before"/>'s version; <see langword="false"/> when it does not.</summary>
        public async Task<bool> UpdateAsync(PerformanceItem before, PerformanceItem after, string actorId, string action, CancellationToken cancellationToken)
        {
            if (!await UpdateRowAsync(StoreSchema.PerformanceTable, before.Id, before.Version, Columns(after), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await store.AppendAuditAsync(connection, transaction, actorId, action, "performance", after.Id, Snapshot(before), Snapshot(after), cancellationToken).ConfigureAwait(false);
            return true;
        }

        private async Task InsertRowAsync(string table, List<(string Name, object Value)> columns, CancellationToken cancellationToken) =>
            await ExecuteAsync(
                $"INSERT INTO {Q(table)} ({string.Join(", ", columns.Select(c => Q(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => P(i)))})",
                [.. columns.Select(c => c.Value)], cancellationToken).ConfigureAwait(false);

        private async Task<bool> UpdateRowAsync(string table, Guid id, long expectedVersion, List<(string Name, object Value)> columns, CancellationToken cancellationToken)
        {
            var values = columns.Where(c => c.Name != "id").ToList();
            var sets = string.Join(", ", values.Select((c, i) => $"{Q(c.Name)} = {P(i)}"));
            return await ExecuteAsync(
                $"UPDATE {Q(table)} SET {sets} WHERE {Q("id")} = {P(values.Count)} AND {Q("version")} = {P(values.Count + 1)}",
                [.. values.Select(c => c.Value), id.ToString("D"), expectedVersion], cancellationToken).ConfigureAwait(false) == 1;
        }

        private async Task<T?> ReadOneAsync<T>(string sql, Guid id, Func<DbDataReader, T> read, CancellationToken cancellationToken)
            where T : class
        {
            var command = store.Command(connection, transaction, sql, id.ToString("D"));
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
}
