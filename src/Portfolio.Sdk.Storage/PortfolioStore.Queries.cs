using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>The queries behind <see cref="PortfolioModule"/>'s views: indexed, streamed, unscoped (the service scopes them).</content>
public sealed partial class PortfolioStore
{
    internal IAsyncEnumerable<CourseOutcome> StreamCourseOutcomesAsync(string studentKey, SchoolYear year, CertificationState? state, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("school_year")} = {P(1)}"
            + (state is null ? string.Empty : $" AND {Q("state")} = {P(2)}") + $" ORDER BY {Q("term")}, {Q("course_code")}, {Q("id")}",
            state is { } s ? [studentKey, year.RocYear, (int)s] : [studentKey, year.RocYear], Read, cancellationToken);

    // A 多元表現 belongs to a year by its date, or by the year it is selected for.
    internal IAsyncEnumerable<PerformanceItem> StreamPerformancesAsync(string studentKey, SchoolYear year, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {PerformanceColumnList(Q)} FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {P(0)} AND ({Q("selected_for")} = {P(1)} OR ({Q("item_date")} >= {P(2)} AND {Q("item_date")} <= {P(3)}))"
            + $" ORDER BY {Q("item_date")}, {Q("id")}",
            [studentKey, year.RocYear, DateKey(year.StartDate), DateKey(year.EndDate)], ReadPerformance, cancellationToken);

    // Submitted: selected for a school year and locked by a roster submission (indexed by student and selected_for).
    internal IAsyncEnumerable<CourseOutcome> StreamSubmittedCourseOutcomesAsync(string studentKey, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("selected_for")} IS NOT NULL AND {Q("is_locked")} = 1"
            + $" ORDER BY {Q("selected_for")}, {Q("school_year")}, {Q("term")}, {Q("course_code")}, {Q("id")}",
            [studentKey], Read, cancellationToken);

    // The student's own submitted 多元表現; school-entered cadre records are neither selected nor brought to admission.
    internal IAsyncEnumerable<PerformanceItem> StreamSubmittedPerformancesAsync(string studentKey, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {PerformanceColumnList(Q)} FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("school_entered")} = 0 AND {Q("selected_for")} IS NOT NULL AND {Q("is_locked")} = 1"
            + $" ORDER BY {Q("selected_for")}, {Q("item_date")}, {Q("id")}",
            [studentKey], ReadPerformance, cancellationToken);

    // A year's package candidates: every outcome selected for the year, and every selected outcome of the year's terms
    // (selected for another year, it is accounted for as left out). Ordered so the same content gives the same bytes.
    internal IAsyncEnumerable<CourseOutcome> StreamYearPackageCourseOutcomesAsync(SchoolYear year, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("selected_for")} = {P(0)} OR ({Q("school_year")} = {P(0)} AND {Q("selected_for")} IS NOT NULL)"
            + $" ORDER BY {Q("student_key")}, {Q("school_year")}, {Q("term")}, {Q("course_code")}, {Q("id")}",
            [year.RocYear], Read, cancellationToken);

    // The students' own 多元表現 selected for the year, or selected and dated in it; school-entered records are not selected.
    internal IAsyncEnumerable<PerformanceItem> StreamYearPackagePerformancesAsync(SchoolYear year, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {PerformanceColumnList(Q)} FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("school_entered")} = 0 AND ({Q("selected_for")} = {P(0)} OR ({Q("selected_for")} IS NOT NULL AND {Q("item_date")} >= {P(1)} AND {Q("item_date")} <= {P(2)}))"
            + $" ORDER BY {Q("student_key")}, {Q("item_date")}, {Q("id")}",
            [year.RocYear, DateKey(year.StartDate), DateKey(year.EndDate)], ReadPerformance, cancellationToken);

    // The student's class in the latest school year the store knows a credited course for, or null.
    internal async Task<string?> LatestClassAsync(string studentKey, CancellationToken cancellationToken)
    {
        await foreach (var className in StreamAsync(
            $"SELECT {Q("class_name")} FROM {Q(StoreSchema.CreditedCourseTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("class_name")} IS NOT NULL ORDER BY {Q("school_year")} DESC, {Q("term")} DESC",
            [studentKey], r => r.GetString(0), cancellationToken).ConfigureAwait(false))
        {
            return className;
        }

        return null;
    }

    // Every item of a student, of every year (歷程交換 exports the whole portfolio).
    internal IAsyncEnumerable<CourseOutcome> StreamAllCourseOutcomesAsync(string studentKey, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} ORDER BY {Q("school_year")}, {Q("term")}, {Q("course_code")}, {Q("id")}",
            [studentKey], Read, cancellationToken);

    internal IAsyncEnumerable<PerformanceItem> StreamAllPerformancesAsync(string studentKey, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {PerformanceColumnList(Q)} FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {P(0)} ORDER BY {Q("item_date")}, {Q("id")}",
            [studentKey], ReadPerformance, cancellationToken);

    internal IAsyncEnumerable<CourseOutcome> StreamPendingAsync(string teacher, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("state")} = {P(0)} AND ({Q("certifying_teacher")} = {P(1)} OR {Q("proxy_teacher")} = {P(1)})"
            + $" ORDER BY {Q("school_year")}, {Q("term")}, {Q("class_name")}, {Q("id")}",
            [(int)CertificationState.Pending, teacher], Read, cancellationToken);

    /// <summary>Each student's counts for a year (of one class, or the school), from three grouped, indexed queries.</summary>
    internal async Task<List<StudentStatus>> StudentStatusesAsync(SchoolYear year, string? className, CancellationToken cancellationToken)
    {
        // The class, when given, is the parameter after each query's own.
        string ByClass(int index) => className is null ? string.Empty : $" AND {Q("class_name")} = {P(index)}";
        object[] Values(params object[] values) => className is null ? values : [.. values, className];
        var students = new Dictionary<string, StudentStatus>(StringComparer.Ordinal);
        StudentStatus Of(string key, string? @class) =>
            students.TryGetValue(key, out var found) ? found with { ClassName = found.ClassName ?? @class } : new StudentStatus(key, @class, 0, 0, 0, 0, 0, 0, 0);

        var outcomes = $"SELECT {Q("student_key")}, MAX({Q("class_name")}), COUNT(*), "
            + $"SUM(CASE WHEN {Q("state")} <> {P(0)} THEN 1 ELSE 0 END), SUM(CASE WHEN {Q("state")} = {P(1)} THEN 1 ELSE 0 END), "
            + $"SUM(CASE WHEN {Q("state")} = {P(2)} THEN 1 ELSE 0 END), SUM(CASE WHEN {Q("selected_for")} = {P(3)} THEN 1 ELSE 0 END) "
            + $"FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("school_year")} = {P(3)}{ByClass(4)} GROUP BY {Q("student_key")}";
        await foreach (var row in StreamAsync(outcomes, Values((int)CertificationState.Draft, (int)CertificationState.Certified, (int)CertificationState.Rejected, year.RocYear), r => (Key: r.GetString(0), Class: r.IsDBNull(1) ? null : r.GetString(1), Counts: Ints(r, 2, 5)), cancellationToken).ConfigureAwait(false))
        {
            students[row.Key] = Of(row.Key, row.Class) with { Uploaded = row.Counts[0], Sent = row.Counts[1], Certified = row.Counts[2], Rejected = row.Counts[3], Selected = row.Counts[4] };
        }

        var performances = $"SELECT {Q("student_key")}, MAX({Q("class_name")}), SUM(CASE WHEN {Q("item_date")} >= {P(1)} AND {Q("item_date")} <= {P(2)} THEN 1 ELSE 0 END), "
            + $"SUM(CASE WHEN {Q("selected_for")} = {P(0)} THEN 1 ELSE 0 END) FROM {Q(StoreSchema.PerformanceTable)} "
            + $"WHERE {Q("school_entered")} = 0 AND ({Q("selected_for")} = {P(0)} OR ({Q("item_date")} >= {P(1)} AND {Q("item_date")} <= {P(2)})){ByClass(3)} GROUP BY {Q("student_key")}";
        await foreach (var row in StreamAsync(performances, Values(year.RocYear, DateKey(year.StartDate), DateKey(year.EndDate)), r => (Key: r.GetString(0), Class: r.IsDBNull(1) ? null : r.GetString(1), Counts: Ints(r, 2, 2)), cancellationToken).ConfigureAwait(false))
        {
            students[row.Key] = Of(row.Key, row.Class) with { PerformancesUploaded = row.Counts[0], PerformancesSelected = row.Counts[1] };
        }

        var credited = $"SELECT {Q("student_key")}, MAX({Q("class_name")}) FROM {Q(StoreSchema.CreditedCourseTable)} WHERE {Q("school_year")} = {P(0)}"
            + (className is null ? string.Empty : $" AND {Q("class_name")} = {P(1)}") + $" GROUP BY {Q("student_key")}";
        await foreach (var row in StreamAsync(credited, className is null ? [year.RocYear] : [year.RocYear, className], r => (Key: r.GetString(0), Class: r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken).ConfigureAwait(false))
        {
            students[row.Key] = Of(row.Key, row.Class);
        }

        return [.. students.Values.OrderBy(s => s.ClassName, StringComparer.Ordinal).ThenBy(s => s.StudentKey, StringComparer.Ordinal)];
    }

    internal async Task<List<PortfolioStatistics>> TeacherStatisticsAsync(SchoolYear year, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Q("certifying_teacher")}, COUNT(DISTINCT {Q("student_key")}), COUNT(DISTINCT CASE WHEN {Q("selected_for")} = {P(2)} THEN {Q("student_key")} END), COUNT(*), "
            + $"SUM(CASE WHEN {Q("state")} <> {P(0)} THEN 1 ELSE 0 END), SUM(CASE WHEN {Q("state")} = {P(1)} THEN 1 ELSE 0 END), SUM(CASE WHEN {Q("selected_for")} = {P(2)} THEN 1 ELSE 0 END) "
            + $"FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("school_year")} = {P(2)} GROUP BY {Q("certifying_teacher")} ORDER BY {Q("certifying_teacher")}";
        var rows = new List<PortfolioStatistics>();
        await foreach (var row in StreamAsync(sql, [(int)CertificationState.Draft, (int)CertificationState.Certified, year.RocYear], r => (Teacher: r.GetString(0), Counts: Ints(r, 1, 6)), cancellationToken).ConfigureAwait(false))
        {
            var c = row.Counts;
            rows.Add(new PortfolioStatistics(StatisticsGroup.Teacher, row.Teacher, c[0], c[0], c[1], c[2], c[3], c[4], c[5]));
        }

        return rows;
    }

    internal IAsyncEnumerable<CadreCount> StreamCadreCountsAsync(SchoolYear year, string? className, CancellationToken cancellationToken) =>
        StreamAsync(
            $"SELECT {Q("student_key")}, MAX({Q("class_name")}), COUNT(*) FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("school_entered")} = 1 AND {Q("item_date")} >= {P(0)} AND {Q("item_date")} <= {P(1)}"
            + (className is null ? string.Empty : $" AND {Q("class_name")} = {P(2)}") + $" GROUP BY {Q("student_key")} ORDER BY {Q("student_key")}",
            className is null ? [DateKey(year.StartDate), DateKey(year.EndDate)] : [DateKey(year.StartDate), DateKey(year.EndDate), className],
            r => new CadreCount(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture)), cancellationToken);

    private static int DateKey(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    private static int[] Ints(DbDataReader reader, int first, int count) =>
        [.. Enumerable.Range(first, count).Select(i => reader.IsDBNull(i) ? 0 : Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture))];

    internal IAsyncEnumerable<T> StreamRowsAsync<T>(string sql, object[] values, Func<DbDataReader, T> read, CancellationToken cancellationToken) =>
        StreamAsync(sql, values, read, cancellationToken);

    private async IAsyncEnumerable<T> StreamAsync<T>(string sql, object[] values, Func<DbDataReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null, sql, values);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield return read(reader);
                    }
                }
            }
        }
    }
}
