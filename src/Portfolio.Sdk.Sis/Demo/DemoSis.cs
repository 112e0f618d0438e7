using System.Data.Common;
using System.Globalization;
using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Demo;

/// <summary>What <see cref="DemoSis.GenerateAsync"/> builds.</summary>
public sealed class DemoSisOptions
{
    /// <summary>The default number of students.</summary>
    public const int DefaultStudents = 120;

    /// <summary>The default random seed.</summary>
    public const int DefaultSeed = 113;

    /// <summary>Gets or sets the number of students, spread over three grades.</summary>
    /// <value>The default value is 120.</value>
    public int Students { get; set; } = DefaultStudents;

    /// <summary>Gets or sets the random seed; the same seed builds the same school.</summary>
    /// <value>The default value is 113.</value>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>Gets or sets the school code.</summary>
    /// <value>The default value is <c>060322</c>.</value>
    public SchoolCode School { get; set; } = SchoolCode.Parse("060322");

    /// <summary>Gets or sets the current term; grades are generated for it and the term before it.</summary>
    /// <value>The default value is 113-1.</value>
    public SchoolTerm Term { get; set; } = SchoolTerm.Parse("113-1");

    /// <summary>Gets or sets whether to plant the dirty rows the research found in real submissions.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DirtyRows { get; set; } = true;

    /// <summary>
    /// Gets or sets the dialect of the database the demo is built in, for its column types (<see cref="DemoSis.SchemaStatementsFor"/>).
    /// <see langword="null"/> builds the portable schema of <see cref="DemoSis.SchemaStatements"/>, which suits SQLite and
    /// PostgreSQL but not MySQL/MariaDB (no TEXT primary key; NUMERIC would round scores to whole numbers) nor SQL Server.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SqlDialect? Dialect { get; set; }
}

/// <summary>How many rows <see cref="DemoSis.GenerateAsync"/> wrote per table.</summary>
/// <param name="Students">Rows of <c>stud_base</c>.</param>
/// <param name="ClassHistory">Rows of <c>stud_class_hist</c>.</param>
/// <param name="Moves">Rows of <c>stud_move</c>.</param>
/// <param name="Courses">Rows of <c>course_open</c>.</param>
/// <param name="Scores">Rows of <c>score_sem</c>.</param>
/// <param name="Cadres">Rows of <c>cadre_hist</c>.</param>
public sealed record DemoSisCounts(int Students, int ClassHistory, int Moves, int Courses, int Scores, int Cadres);

/// <summary>
/// A synthetic school-administration database (示範校務系統) with a vendor-like layout, not the SDK's record shapes:
/// ROC date strings, Y/N pass flags, one-letter grade types, a course table joined by id. It builds into any database
/// reached through a <see cref="DbDataSource"/> (SQLite is the embedded default; PostgreSQL in tests), at any size,
/// and <see cref="Profile(SqlDialect)"/> maps it onto the SDK's records.
/// </summary>
public static class DemoSis
{
    private const string Letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

    private static readonly string[] Tables = ["score_sem", "cadre_hist", "stud_move", "stud_class_hist", "course_open", "stud_base"];

    private static readonly string[] Surnames = ["陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊"];

    private static readonly string[] GivenNames = ["怡君", "冠宇", "雅婷", "承恩", "思妤", "宥廷", "品妍", "柏翰", "子晴", "宇軒"];

    private static readonly (string Category, string Attribute, string Domain, string Subject, string Name, int Credits)[] Curriculum =
    [
        ("1", "1", "01", "01", "國語文", 4), ("1", "1", "02", "01", "英語文", 4), ("1", "1", "03", "01", "數學", 4),
        ("1", "1", "04", "01", "歷史", 2), ("1", "1", "04", "02", "地理", 2), ("1", "1", "05", "01", "物理", 2),
        ("1", "1", "05", "02", "化學", 2), ("2", "1", "06", "01", "專題探究", 2), ("3", "1", "03", "02", "數學甲", 4),
        ("8", "D", "09", "01", "班級活動", 1), ("9", "D", "09", "02", "自主學習", 2),
    ];

    // The demo tables: each column's name and type; a string column's maximum length (in characters) and a number's
    // precision and scale are given for the dialects that need them.
    private static readonly (string Table, string Key, (string Name, char Type, int Length)[] Columns)[] Layout =
    [
        ("stud_base", "stud_no", [("stud_no", 's', 20), ("id_no", 's', 20), ("stud_name", 's', 50), ("birthday", 's', 10), ("sex", 's', 2), ("entry_sy", 'i', 0),
            ("class_kind", 's', 4), ("dept_code", 's', 10), ("group_code", 's', 10), ("spec_status", 's', 20), ("aborigine", 's', 20), ("enter_way", 's', 20)]),
        ("stud_class_hist", string.Empty, [("stud_no", 's', 20), ("sy", 'i', 0), ("sem", 'i', 0), ("grade", 'i', 0), ("class_name", 's', 20), ("seat_no", 'i', 0)]),
        ("stud_move", string.Empty, [("stud_no", 's', 20), ("move_code", 's', 10), ("move_date", 's', 10)]),
        ("course_open", "course_id", [("course_id", 'i', 0), ("sy", 'i', 0), ("sem", 'i', 0), ("course_code", 's', 30), ("subj_name", 's', 50), ("credit", 's', 10), ("grade", 'i', 0)]),
        ("score_sem", string.Empty, [("stud_no", 's', 20), ("course_id", 'i', 0), ("sy", 'i', 0), ("sem", 'i', 0), ("score", 'n', 0), ("pass_yn", 's', 2), ("re_score", 'n', 0),
            ("re_pass", 's', 2), ("score_type", 's', 2), ("orig_sy", 'i', 0), ("orig_sem", 'i', 0), ("orig_course_code", 's', 30), ("count_credit", 's', 2)]),
        ("cadre_hist", string.Empty, [("stud_no", 's', 20), ("sy", 'i', 0), ("sem", 'i', 0), ("unit_name", 's', 50), ("post_name", 's', 50), ("cadre_lv", 'i', 0),
            ("start_date", 's', 10), ("end_date", 's', 10)]),
    ];

    /// <summary>Gets the SQL that creates the demo tables (TEXT, INTEGER, NUMERIC: valid in SQLite and PostgreSQL).</summary>
    public static IReadOnlyList<string> SchemaStatements { get; } = Statements(null);

    /// <summary>
    /// Gets the SQL that creates the demo tables in <paramref name="dialect"/>: for SQLite and PostgreSQL the portable
    /// <see cref="SchemaStatements"/>; elsewhere strings of the dialect's <see cref="SqlDialect.VarCharType"/> with a
    /// length (MySQL/MariaDB and SQL Server cannot key or compare TEXT columns), integers of its
    /// <see cref="SqlDialect.IntegerType"/> and scores as <c>DECIMAL(5,1)</c> (MySQL's bare NUMERIC has no decimals).
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The statements, in order.</returns>
    public static IReadOnlyList<string> SchemaStatementsFor(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect == SqlDialect.Sqlite || dialect == SqlDialect.PostgreSql ? SchemaStatements : Statements(dialect);
    }

    private static string[] Statements(SqlDialect? dialect)
    {
        string TypeOf(char type, int length) => (type, dialect) switch
        {
            ('s', null) => "TEXT",
            ('s', _) => string.Create(CultureInfo.InvariantCulture, $"{dialect.VarCharType}({length})"),
            ('i', null) => "INTEGER",
            ('i', _) => dialect.IntegerType,
            (_, null) => "NUMERIC",
            _ => "DECIMAL(5,1)",
        };

        return
        [
            .. Layout.Select(t => $"CREATE TABLE {t.Table} ("
                + string.Join(", ", t.Columns.Select(c => $"{c.Name} {TypeOf(c.Type, c.Length)}{(c.Name == t.Key ? dialect is null ? " PRIMARY KEY" : " NOT NULL PRIMARY KEY" : string.Empty)}"))
                + ")" + dialect?.TableOptions),
            "CREATE INDEX ix_score_sem_term ON score_sem (sy, sem, stud_no)",
        ];
    }

    /// <summary>Gets the mapping profile of the demo SIS for a dialect.</summary>
    /// <param name="dialect">The dialect of the database it was built in.</param>
    /// <returns>The profile.</returns>
    public static SisProfile Profile(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var passFlags = new Dictionary<string, string> { ["Y"] = "1", ["N"] = "0", ["-"] = "-1" };
        var outcome = new SisProfileBuilder("demo-sis", dialect)
            .MapTable(SisRecordKind.Students, "stud_base", new Dictionary<string, string>
            {
                ["studentNumber"] = "stud_no", ["nationalId"] = "id_no", ["birthDate"] = "birthday", ["name"] = "stud_name", ["gender"] = "sex",
                ["entryYear"] = "entry_sy", ["classType"] = "class_kind", ["department"] = "dept_code", ["group"] = "group_code",
                ["specialStatus"] = "spec_status", ["indigenousNation"] = "aborigine", ["admissionMethod"] = "enter_way",
            }, new Dictionary<string, Dictionary<string, string>> { ["gender"] = new() { ["M"] = "1", ["F"] = "2" } })
            .MapTable(SisRecordKind.StudentTerms, "stud_class_hist", new Dictionary<string, string>
            {
                ["studentNumber"] = "stud_no", ["schoolYear"] = "sy", ["term"] = "sem", ["gradeLevel"] = "grade", ["className"] = "class_name", ["seatNumber"] = "seat_no",
            })
            .MapTable(SisRecordKind.EnrollmentChanges, "stud_move", new Dictionary<string, string>
            {
                ["studentNumber"] = "stud_no", ["changeCode"] = "move_code", ["changeDate"] = "move_date",
            })
            .MapTable(SisRecordKind.Courses, "course_open", new Dictionary<string, string>
            {
                ["schoolYear"] = "sy", ["term"] = "sem", ["courseCode"] = "course_code", ["subjectName"] = "subj_name", ["credits"] = "credit", ["gradeLevel"] = "grade",
            })
            .MapQuery(SisRecordKind.Grades, GradesQuery, new Dictionary<string, string>
            {
                ["studentNumber"] = "stud_no", ["schoolYear"] = "sy", ["term"] = "sem", ["courseCode"] = "course_code", ["subjectName"] = "subj_name",
                ["credits"] = "credit", ["gradeLevel"] = "grade", ["score"] = "score", ["passed"] = "pass_yn", ["makeupExamScore"] = "re_score",
                ["makeupExamPassed"] = "re_pass", ["kind"] = "score_type", ["originalSchoolYear"] = "orig_sy", ["originalTerm"] = "orig_sem",
                ["originalCourseCode"] = "orig_course_code", ["creditCounting"] = "count_credit",
            }, new Dictionary<string, Dictionary<string, string>>
            {
                ["passed"] = passFlags,
                ["makeupExamPassed"] = passFlags,
                ["kind"] = new() { ["N"] = "regular", ["S"] = "makeupCourse", ["T"] = "transfer", ["R"] = "retake", ["D"] = "repeatYear", ["M"] = "makeupExam" },
            })
            .MapTable(SisRecordKind.Cadres, "cadre_hist", new Dictionary<string, string>
            {
                ["studentNumber"] = "stud_no", ["schoolYear"] = "sy", ["term"] = "sem", ["unitName"] = "unit_name", ["position"] = "post_name",
                ["cadreLevel"] = "cadre_lv", ["startDate"] = "start_date", ["endDate"] = "end_date",
            })
            .Build();
        return outcome.Value ?? throw new InvalidOperationException("The demo profile is invalid: " + string.Join("; ", outcome.Diagnostics));
    }

    /// <summary>The demo's grades query: scores joined with the course master, for one term.</summary>
    public const string GradesQuery =
        "SELECT s.stud_no, s.sy, s.sem, c.course_code, c.subj_name, c.credit, c.grade, s.score, s.pass_yn, s.re_score, s.re_pass, "
        + "s.score_type, s.orig_sy, s.orig_sem, s.orig_course_code, s.count_credit "
        + "FROM score_sem s JOIN course_open c ON c.course_id = s.course_id "
        + "WHERE s.sy = @schoolYear AND s.sem = @term ORDER BY s.stud_no, c.course_code";

    /// <summary>Drops the demo tables if present and creates them empty, with the portable <see cref="SchemaStatements"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public static Task CreateSchemaAsync(DbDataSource dataSource, CancellationToken cancellationToken = default) =>
        CreateSchemaAsync(dataSource, null, cancellationToken);

    /// <summary>Drops the demo tables if present and creates them empty, with the column types of <paramref name="dialect"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="dialect">Its dialect; <see langword="null"/> for the portable <see cref="SchemaStatements"/>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public static async Task CreateSchemaAsync(DbDataSource dataSource, SqlDialect? dialect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var statements = dialect is null ? SchemaStatements : SchemaStatementsFor(dialect);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var sql in Tables.Select(t => $"DROP TABLE IF EXISTS {t}").Concat(statements))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = sql;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Creates the schema and fills it with a synthetic school.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">What to build; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many rows each table got.</returns>
    public static async Task<DemoSisCounts> GenerateAsync(DbDataSource dataSource, DemoSisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new DemoSisOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Students, 1);
        await CreateSchemaAsync(dataSource, options.Dialect, cancellationToken).ConfigureAwait(false);
        var school = new DemoSchool(options);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var courses = await InsertAsync(connection, transaction, "course_open", 7, school.Courses(), cancellationToken).ConfigureAwait(false);
                var students = await InsertAsync(connection, transaction, "stud_base", 12, school.Students(), cancellationToken).ConfigureAwait(false);
                var history = await InsertAsync(connection, transaction, "stud_class_hist", 6, school.ClassHistory(), cancellationToken).ConfigureAwait(false);
                var moves = await InsertAsync(connection, transaction, "stud_move", 3, school.Moves(), cancellationToken).ConfigureAwait(false);
                var scores = await InsertAsync(connection, transaction, "score_sem", 13, school.Scores(), cancellationToken).ConfigureAwait(false);
                var cadres = await InsertAsync(connection, transaction, "cadre_hist", 8, school.Cadres(), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new DemoSisCounts(students, history, moves, courses, scores, cadres);
            }
        }
    }

    // Multi-row INSERTs with bound parameters, a few hundred rows a statement.
    private static async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, string table, int columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var rowsPerStatement = Math.Max(1, 900 / columns);
        var batch = new List<object?[]>(rowsPerStatement);
        var total = 0;
        foreach (var row in rows)
        {
            batch.Add(row);
            if (batch.Count == rowsPerStatement)
            {
                total += await FlushAsync().ConfigureAwait(false);
            }
        }

        return total + await FlushAsync().ConfigureAwait(false);

        async Task<int> FlushAsync()
        {
            if (batch.Count == 0)
            {
                return 0;
            }

            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.Transaction = transaction;
                var sql = new StringBuilder($"INSERT INTO {table} VALUES ");
                var p = 0;
                for (var r = 0; r < batch.Count; r++)
                {
                    sql.Append(r == 0 ? "(" : ",(");
                    for (var c = 0; c < columns; c++)
                    {
                        var name = "p" + p.ToString(CultureInfo.InvariantCulture);
                        sql.Append(c == 0 ? "@" : ",@").Append(name);
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = name;
                        parameter.Value = batch[r][c] ?? DBNull.Value;
                        command.Parameters.Add(parameter);
                        p++;
                    }

                    sql.Append(')');
                }

                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var count = batch.Count;
            batch.Clear();
            return count;
        }
    }

    private sealed class DemoSchool(DemoSisOptions options)
    {
        private readonly int _year = options.Term.Year.RocYear;

        private string School => options.School.Value;

        // The terms graded: the current term and the one before it.
        private IEnumerable<SchoolTerm> Terms()
        {
            var current = options.Term;
            var previous = current.Term == Term.First ? new SchoolTerm(current.Year.AddYears(-1), Term.Second) : new SchoolTerm(current.Year, Term.First);
            return [previous, current];
        }

        private static int GradeIn(int entryYear, SchoolTerm term) => term.Year.RocYear - entryYear + 1;

        private int EntryYear(int student) => _year - (student % 3);

        private static string CourseCodeOf(int cohort, string school, (string Category, string Attribute, string Domain, string Subject, string Name, int Credits) c) =>
            string.Create(CultureInfo.InvariantCulture, $"{cohort:000}{school}H111010{c.Category}0{c.Attribute}{c.Domain}{c.Subject}");

        // Course ids: term index × 1000 + grade × 100 + curriculum index.
        public IEnumerable<object?[]> Courses()
        {
            foreach (var (term, t) in Terms().Select((term, t) => (term, t)))
            {
                for (var grade = 1; grade <= 3; grade++)
                {
                    var cohort = term.Year.RocYear - grade + 1;
                    for (var i = 0; i < Curriculum.Length; i++)
                    {
                        var c = Curriculum[i];
                        var credit = c.Credits.ToString(CultureInfo.InvariantCulture);
                        var code = CourseCodeOf(cohort, School, c);
                        if (options.DirtyRows && t == 1 && grade == 2 && i == 6)
                        {
                            credit = "T";   // the research found a school sending 'T' as credits
                        }

                        if (options.DirtyRows && t == 1 && grade == 3 && i == 10)
                        {
                            code = CourseCodeOf(cohort, School, c with { Attribute = "1" });   // 彈性學習 without D
                        }

                        yield return [(t * 1000) + (grade * 100) + i, term.Year.RocYear, (int)term.Term, code, c.Name, credit, grade];
                    }
                }
            }
        }

        public IEnumerable<object?[]> Students()
        {
            var random = new Random(options.Seed);
            for (var s = 0; s < options.Students; s++)
            {
                var entry = EntryYear(s);
                var firstNine = string.Create(CultureInfo.InvariantCulture, $"{Letters[s % 26]}{1 + (s % 2)}{(options.Seed * 7919 + s) % 10_000_000:0000000}");
                var id = firstNine + NationalId.ComputeCheckDigit(firstNine).ToString(CultureInfo.InvariantCulture);
                if (options.DirtyRows && s == 7)
                {
                    id = firstNine + ((NationalId.ComputeCheckDigit(firstNine) + 1) % 10).ToString(CultureInfo.InvariantCulture);   // a wrong check digit
                }

                var birth = new DateOnly(entry + 1911 - 15, 1 + random.Next(12), 1 + random.Next(28));
                var rocBirth = string.Create(CultureInfo.InvariantCulture, $"{birth.Year - 1911:000}{birth.Month:00}{birth.Day:00}");
                var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
                var indigenous = s % 41 == 5;
                yield return [StudentNumber(s), id, name, rocBirth, s % 2 == 0 ? "M" : "F", entry, "1", "101", "11",
                    indigenous ? "1" : s % 53 == 9 ? "4,10" : null, indigenous ? "阿美族" : null, s % 5 == 0 ? "直升入學" : "分區免試"];
            }
        }

        public IEnumerable<object?[]> ClassHistory()
        {
            for (var s = 0; s < options.Students; s++)
            {
                foreach (var term in Terms())
                {
                    var grade = GradeIn(EntryYear(s), term);
                    if (grade is >= 1 and <= 3)
                    {
                        var classNo = (s / 3 / 35) + 1;
                        yield return [StudentNumber(s), term.Year.RocYear, (int)term.Term, grade, string.Create(CultureInfo.InvariantCulture, $"{grade}{classNo:00}"), (s / 3 % 35) + 1];
                    }
                }
            }
        }

        public IEnumerable<object?[]> Moves()
        {
            for (var s = 0; s < options.Students; s++)
            {
                if (s % 60 == 11)
                {
                    yield return [StudentNumber(s), "111", string.Create(CultureInfo.InvariantCulture, $"{EntryYear(s) + 1911}-08-20")];   // transferred in
                }
            }
        }

        public IEnumerable<object?[]> Scores()
        {
            var random = new Random(options.Seed + 1);
            foreach (var (term, t) in Terms().Select((term, t) => (term, t)))
            {
                for (var s = 0; s < options.Students; s++)
                {
                    var grade = GradeIn(EntryYear(s), term);
                    if (grade is < 1 or > 3)
                    {
                        continue;
                    }

                    for (var i = 0; i < Curriculum.Length; i++)
                    {
                        var c = Curriculum[i];
                        var courseId = (t * 1000) + (grade * 100) + i;
                        var groupActivity = c.Category is "8" or "9";
                        var score = Math.Round(35 + (random.NextDouble() * 65), 1);
                        var passed = score >= 60;
                        object? reScore = null;
                        var rePass = "-";
                        if (!passed && random.Next(2) == 0)
                        {
                            reScore = Math.Round(40 + (random.NextDouble() * 40), 1);
                            rePass = (double)reScore >= 60 ? "Y" : "N";
                        }

                        var type = s % 60 == 11 && i < 2 ? "T" : "N";
                        if (options.DirtyRows && s == 13 && i == 0)
                        {
                            (score, passed) = (0, true);   // 0 分 marked passed
                        }

                        if (options.DirtyRows && s == 17 && i == 1)
                        {
                            (score, passed, reScore, rePass) = (75, true, 80m, "Y");   // 補考 after a pass
                        }

                        yield return [StudentNumber(s), courseId, term.Year.RocYear, (int)term.Term, (decimal)score, passed ? "Y" : "N", reScore is null ? null : Convert.ToDecimal(reScore, CultureInfo.InvariantCulture),
                            rePass, type, type == "T" ? term.Year.RocYear - 1 : null, type == "T" ? 2 : null, null, groupActivity ? "3" : "1"];
                    }

                    // 補修 and 重修 for some students who failed a subject the year before.
                    if (s % 17 == 3 && grade >= 2)
                    {
                        var makeup = (t * 1000) + (grade * 100) + 2;
                        yield return [StudentNumber(s), makeup, term.Year.RocYear, (int)term.Term, 66m, "Y", null, "-", "S", term.Year.RocYear - 1, (int)term.Term, null, "1"];
                    }

                    if (s % 19 == 4 && grade >= 2)
                    {
                        var retake = (t * 1000) + (grade * 100) + 3;
                        var original = CourseCodeOf(term.Year.RocYear - grade + 1, School, Curriculum[3]);
                        yield return [StudentNumber(s), retake, term.Year.RocYear, (int)term.Term, 61m, "Y", null, "-", "R", term.Year.RocYear - 1, (int)term.Term, original, "1"];
                    }
                }
            }
        }

        public IEnumerable<object?[]> Cadres()
        {
            string[] posts = ["班長", "副班長", "學藝股長", "風紀股長", "服務股長"];
            foreach (var term in Terms())
            {
                for (var s = 0; s < options.Students; s++)
                {
                    var grade = GradeIn(EntryYear(s), term);
                    if (grade is >= 1 and <= 3 && s % 7 == 0)
                    {
                        var start = term.StartDate.AddDays(14);
                        yield return [StudentNumber(s), term.Year.RocYear, (int)term.Term, string.Create(CultureInfo.InvariantCulture, $"{grade}{(s / 3 / 35) + 1:00}班"),
                            posts[s / 7 % posts.Length], 2, start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), term.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];
                    }
                }
            }
        }

        private static string StudentNumber(int s) => string.Create(CultureInfo.InvariantCulture, $"S{s:000000}");
    }
}
