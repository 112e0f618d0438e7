using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// A write that loses a race is retried after a short back-off, and that back-off waits in real time: a store built on a
/// fake clock that nobody advances (a test, a what-if run) still finishes its retry instead of waiting forever.
/// </summary>
public sealed class StoreRetryClockTests
{
    [Fact]
    public async Task BusyDatabase_IsRetried_EvenWhenTheStoresClockIsFakeAndStill()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"retry-{Guid.NewGuid():N}.db");
        try
        {
            // A busy wait of at most 1 s per statement, so that the held lock below surfaces as SQLITE_BUSY.
            var connectionString = $"Data Source={file};Pooling=False;Default Timeout=1";
            await using var dataSource = SqliteFactory.Instance.CreateDataSource(connectionString);
            var store = new PortfolioStore(dataSource, SqlDialect.Sqlite, new FakeTimeProvider(new DateTimeOffset(2024, 10, 1, 8, 0, 0, TimeSpan.Zero)));
            await store.CreateSchemaAsync(ct);

            // Another writer holds the database's write lock for 1.5 s.
            await using var holder = new SqliteConnection(connectionString);
            await holder.OpenAsync(ct);
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync(ct);
            }

            var outcome = new CourseOutcome
            {
                Id = Guid.NewGuid(),
                StudentKey = "S000001",
                ClassName = "101",
                Term = SchoolTerm.Parse("113-1"),
                CourseCode = CourseCode.Parse("113060322H1110101010101"),
                Summary = "函數圖形的探究報告",
                FileHashes = [new string('a', 64)],
                CertifyingTeacher = "t-math",
            };
            var add = store.AddAsync(outcome, PortfolioActor.StudentOf("u-student", "S000001"), ct);
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
            await using (var commit = holder.CreateCommand())
            {
                commit.CommandText = "COMMIT";
                await commit.ExecuteNonQueryAsync(ct);
            }

            // The first attempt hit the lock; the retry (after a real-time back-off) goes through.
            await add.WaitAsync(TimeSpan.FromSeconds(20), ct);
            (await store.GetAsync(outcome.Id, ct)).ShouldNotBeNull();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
