using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Reading;

/// <summary>
/// Reads a school-administration system's database (校務系統讀取) through the caller's <see cref="DbDataSource"/> and
/// a <see cref="SisProfile"/>. Every read streams: rows are mapped one at a time as the data reader yields them, so
/// memory does not grow with the school. A row that cannot be mapped comes back with its diagnostics and no record;
/// the rest go on.
/// </summary>
/// <remarks>The SDK never references a database driver: the vendor registers Npgsql, SqlClient, Oracle's provider or
/// another, and passes its data source here.</remarks>
public sealed partial class SisReader
{
    private readonly DbDataSource _dataSource;
    private readonly CodeTableCatalog _codes;

    /// <summary>Initializes a reader.</summary>
    /// <param name="dataSource">The vendor database's data source.</param>
    /// <param name="profile">The mapping profile.</param>
    /// <param name="codes">The code tables (for 學籍異動代碼 → 身分別); <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    public SisReader(DbDataSource dataSource, SisProfile profile, CodeTableCatalog? codes = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(profile);
        _dataSource = dataSource;
        Profile = profile;
        _codes = codes ?? CodeTableCatalog.Default;
    }

    /// <summary>Gets the mapping profile.</summary>
    public SisProfile Profile { get; }

    /// <summary>Gets or sets the school code passed to profile queries that use <c>@schoolCode</c>.</summary>
    public SchoolCode? School { get; init; }

    /// <summary>
    /// Gets or sets the logger. A student row left out is logged as a warning with its 身分證號 and 姓名 as classified
    /// values (<see cref="Privacy.PortfolioDataClassifications"/>), masked by the host's redactor
    /// (<c>AddPortfolioRedaction</c>).
    /// </summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>.</value>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Reads every student (學籍資料).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    public IAsyncEnumerable<SisRow<StudentRecord>> ReadStudentsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(SisRecordKind.Students, null, v =>
        {
            // Every field is converted before deciding, so one row reports all of its problems.
            var id = v.NationalId("nationalId");
            var birth = v.Date("birthDate");
            var record = new StudentRecord
            {
                StudentNumber = v.RequiredText("studentNumber"),
                NationalId = id,
                BirthDate = birth ?? default,
                Name = v.Text("name"),
                Gender = v.Text("gender"),
                EntryYear = v.SchoolYear("entryYear"),
                ClassType = v.Text("classType"),
                Division = v.Text("division"),
                Group = v.Text("group"),
                Department = v.Text("department"),
                SpecialStatus = v.CodeList("specialStatus"),
                IndigenousNation = v.Text("indigenousNation"),
                AdmissionMethod = v.Text("admissionMethod"),
                EnrollmentStatus = v.Text("enrollmentStatus"),
            };
            if (id.IsEmpty || birth is null || v.Diagnostics.Exists(d => d.IsError))
            {
                LogStudentLeftOut(Logger, v.Row, string.Join(",", v.Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct()), v.RawText("nationalId") ?? string.Empty, v.RawText("name") ?? string.Empty);
            }

            return id.IsEmpty || birth is null ? null : record;
        }, cancellationToken);

    /// <summary>Reads the class, seat and grade of each student in <paramref name="term"/> (學期編班).</summary>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    public IAsyncEnumerable<SisRow<StudentTermRecord>> ReadStudentTermsAsync(SchoolTerm term, CancellationToken cancellationToken = default) =>
        ReadAsync(SisRecordKind.StudentTerms, term, v =>
        {
            var t = v.SchoolTerm("schoolYear", "term");
            var record = new StudentTermRecord
            {
                StudentNumber = v.RequiredText("studentNumber"),
                Term = t ?? default,
                GradeLevel = v.WholeNumber("gradeLevel"),
                ClassName = v.Text("className"),
                SeatNumber = v.WholeNumber("seatNumber"),
            };
            return t is null ? null : record;
        }, cancellationToken);

    /// <summary>Reads every status change (學籍異動), with the 身分別 each implies.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    public IAsyncEnumerable<SisRow<EnrollmentChangeRecord>> ReadEnrollmentChangesAsync(CancellationToken cancellationToken = default)
    {
        _codes.TryGetMapping(CodeTableIds.EnrollmentChangeToStudentType, out var toStudentType);
        return ReadAsync(SisRecordKind.EnrollmentChanges, null, v =>
        {
            var code = v.RequiredText("changeCode");
            return new EnrollmentChangeRecord
            {
                StudentNumber = v.RequiredText("studentNumber"),
                ChangeCode = code,
                ChangeDate = v.Date("changeDate"),
                StudentType = toStudentType?.Map(code),
            };
        }, cancellationToken);
    }

    /// <summary>Reads the courses offered in <paramref name="term"/> (開課資料).</summary>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    public IAsyncEnumerable<SisRow<CourseRecord>> ReadCoursesAsync(SchoolTerm term, CancellationToken cancellationToken = default) =>
        ReadAsync(SisRecordKind.Courses, term, v =>
        {
            var t = v.SchoolTerm("schoolYear", "term");
            var code = v.CourseCode("courseCode");
            var record = new CourseRecord
            {
                Term = t ?? default,
                CourseCode = code ?? default,
                SubjectName = v.RequiredText("subjectName"),
                Credits = v.Number("credits"),
                GradeLevel = v.WholeNumber("gradeLevel"),
            };
            return t is null || code is null ? null : record;
        }, cancellationToken);

    /// <summary>Reads the grades earned in <paramref name="term"/> (學期成績, 補考, 補修, 重修, 重讀, 轉學轉科).</summary>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    public IAsyncEnumerable<SisRow<GradeRecord>> ReadGradesAsync(SchoolTerm term, CancellationToken cancellationToken = default) =>
        ReadAsync(SisRecordKind.Grades, term, v =>
        {
            var t = v.SchoolTerm("schoolYear", "term");
            var code = v.CourseCode("courseCode");
            var originalYear = v.SchoolYear("originalSchoolYear");
            var originalTerm = v.Term("originalTerm");
            var record = new GradeRecord
            {
                StudentNumber = v.RequiredText("studentNumber"),
                Term = t ?? default,
                CourseCode = code ?? default,
                Kind = v.GradeKind("kind"),
                SubjectName = v.Text("subjectName"),
                GradeLevel = v.WholeNumber("gradeLevel"),
                Credits = v.Number("credits"),
                Score = NoScoreAsNull(v.Number("score")),
                Passed = v.Text("passed"),
                MakeupExamScore = NoScoreAsNull(v.Number("makeupExamScore")),
                MakeupExamPassed = v.Text("makeupExamPassed"),
                CreditCounting = v.Text("creditCounting"),
                OriginalTerm = originalYear is { } oy && originalTerm is { } ot ? new SchoolTerm(oy, ot) : null,
                OriginalCourseCode = v.CourseCode("originalCourseCode"),
                OriginalSchoolCode = v.Text("originalSchoolCode"),
                Method = v.Text("method"),
                RepeatNote = v.Text("repeatNote"),
                StudentType = v.Text("studentType"),
                YearScore = NoScoreAsNull(v.Number("yearScore")),
                YearPassed = v.Text("yearPassed"),
                SecondTermCredits = v.Number("secondTermCredits"),
                SecondMakeupExamScore = NoScoreAsNull(v.Number("secondMakeupExamScore")),
                SecondMakeupExamPassed = v.Text("secondMakeupExamPassed"),
            };
            return t is null || code is null ? null : record;
        }, cancellationToken);

    /// <summary>Reads the cadre posts held in <paramref name="term"/> (校內幹部經歷).</summary>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    public IAsyncEnumerable<SisRow<CadreRecord>> ReadCadresAsync(SchoolTerm term, CancellationToken cancellationToken = default) =>
        ReadAsync(SisRecordKind.Cadres, term, v =>
        {
            var t = v.SchoolTerm("schoolYear", "term");
            var record = new CadreRecord
            {
                StudentNumber = v.RequiredText("studentNumber"),
                Term = t ?? default,
                UnitName = v.RequiredText("unitName"),
                Position = v.RequiredText("position"),
                StartDate = v.Date("startDate"),
                EndDate = v.Date("endDate"),
                CadreLevel = v.Text("cadreLevel"),
            };
            return t is null ? null : record;
        }, cancellationToken);

    // -1 is the SIS's and the spec's "no score".
    private static decimal? NoScoreAsNull(decimal? score) => score == -1 ? null : score;

    private async IAsyncEnumerable<SisRow<T>> ReadAsync<T>(SisRecordKind kind, SchoolTerm? term, Func<SisValues, T?> map, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var query = SisQuery.Build(Profile, kind, term, School);
        var mapping = Profile.Mappings[kind];
        var kindName = SisProfile.KindName(kind);
        var source = $"sis:{kindName}";
        var kindTag = new KeyValuePair<string, object?>(SisTelemetry.RecordKindTag, kindName);
        using var activity = SisTelemetry.Source.StartActivity("sis.read", ActivityKind.Client, default(ActivityContext), [kindTag]);
        long used = 0, leftOut = 0;
        var diagnostics = new Dictionary<(string Code, DiagnosticSeverity Severity), long>();
        try
        {
            var connection = await OpenAsync(source, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = query.CommandText;
                    foreach (var (name, value) in query.Parameters)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = name;
                        parameter.Value = value;
                        command.Parameters.Add(parameter);
                    }

                    var reader = await ExecuteAsync(command, source, cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var ordinals = ResolveOrdinals(reader, query, source);
                        var values = new SisValues(mapping, source, [.. query.FieldColumns.Select(c => (c.Field, c.Column))]);
                        long row = 0;
                        while (await ReadRowAsync(reader, source, cancellationToken).ConfigureAwait(false))
                        {
                            // Providers may serve buffered rows without looking at the token (Npgsql does).
                            cancellationToken.ThrowIfCancellationRequested();
                            values.Reset(++row);
                            for (var i = 0; i < ordinals.Length; i++)
                            {
                                values.Set(i, SisCell.Read(reader, ordinals[i]));   // typed getters: no boxing
                            }

                            var record = map(values);
                            if (values.Diagnostics.Count == 0)
                            {
                                used += record is null ? 0 : 1;
                                leftOut += record is null ? 1 : 0;
                                yield return new SisRow<T>(row, record, []);
                            }
                            else
                            {
                                var failed = values.Diagnostics.Exists(d => d.IsError);
                                used += failed || record is null ? 0 : 1;
                                leftOut += failed || record is null ? 1 : 0;
                                foreach (var d in values.Diagnostics)
                                {
                                    diagnostics[(d.Code, d.Severity)] = diagnostics.GetValueOrDefault((d.Code, d.Severity)) + 1;
                                }

                                yield return new SisRow<T>(row, failed ? null : record, [.. values.Diagnostics], values.RawText("studentNumber"));
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            var usedTag = new KeyValuePair<string, object?>(PortfolioTelemetry.OutcomeTag, "used");
            var leftOutTag = new KeyValuePair<string, object?>(PortfolioTelemetry.OutcomeTag, "left_out");
            SisTelemetry.Rows.Add(used, kindTag, usedTag);
            SisTelemetry.Rows.Add(leftOut, kindTag, leftOutTag);
            foreach (var ((code, severity), count) in diagnostics)
            {
                SisTelemetry.Diagnostics.Add(count, kindTag, new(PortfolioTelemetry.DiagnosticCodeTag, code), new(PortfolioTelemetry.DiagnosticSeverityTag, PortfolioTelemetry.SeverityName(severity)));
            }

            activity?.SetTag("portfolio.sis.rows_read", used + leftOut);
            activity?.SetTag("portfolio.sis.rows_used", used);
            activity?.SetTag("portfolio.sis.rows_left_out", leftOut);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "SIS student row {Row} left out ({Codes}): 身分證號 {NationalId}, 姓名 {Name}")]
    private static partial void LogStudentLeftOut(ILogger logger, long row, string codes, [Privacy.NationalIdData] string nationalId, [Privacy.PersonNameData] string name);

    private static int[] ResolveOrdinals(DbDataReader reader, SisQuery query, string source)
    {
        var ordinals = new int[query.FieldColumns.Count];
        for (var i = 0; i < ordinals.Length; i++)
        {
            var (field, column, ordinal) = query.FieldColumns[i];
            if (ordinal is { } known)
            {
                ordinals[i] = known;
                continue;
            }

            try
            {
                ordinals[i] = reader.GetOrdinal(column);
            }
            catch (IndexOutOfRangeException ex)
            {
                throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileQuery, new DiagnosticLocation(Source: source, Path: field.Name),
                    $"查詢結果沒有欄位 {column}", $"the query's result has no column {column}"), ex);
            }
        }

        return ordinals;
    }

    // The driver's message may echo a value it choked on: anything shaped like a 身分證號 or 居留證號 is masked.
    private static PortfolioException ReadFailed(string source, DbException ex)
    {
        var message = NationalIdShape().Replace(ex.Message, m => Privacy.Redaction.MaskIdentifier(m.Value));
        return new(DiagnosticCatalog.Create(DiagnosticCodes.SisReadFailed, new DiagnosticLocation(Source: source), message, message), ex, ex.IsTransient);
    }

    [System.Text.RegularExpressions.GeneratedRegex("[A-Za-z][0-9A-Da-d][0-9]{8}", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex NationalIdShape();

    private async Task<DbConnection> OpenAsync(string source, CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw ReadFailed(source, ex);
        }
    }

    private static async Task<DbDataReader> ExecuteAsync(DbCommand command, string source, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw ReadFailed(source, ex);
        }
    }

    private static async Task<bool> ReadRowAsync(DbDataReader reader, string source, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw ReadFailed(source, ex);
        }
    }
}
