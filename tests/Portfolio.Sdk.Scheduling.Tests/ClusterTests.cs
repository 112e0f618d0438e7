using System.Diagnostics;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Testing;
using Quartz;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>
/// Two scheduler nodes (real worker processes) share one clustered store on the real PostgreSQL or MariaDB; jobs for many
/// schools spread over both; one node is killed in the middle of a job; the other recovers it, and every submission
/// is accepted exactly once at the sandbox.
/// </summary>
public sealed class ClusterTests
{
    private const int Schools = 8;

    // The standard roster source's semester books of a demo SIS without 進修部: 學生資料, 校內幹部經歷, 學生成績, 學生重修重讀成績.
    private const int Books = 4;

    private static string SchoolOf(int i) => $"0{60 + i:D2}322";

    private static readonly System.Text.StringBuilder Log = new();

    [Theory]
    [InlineData("postgresql")]
    [InlineData("mariadb")]
    public async Task KilledNode_ItsJobIsRecoveredByTheOther_AndEverySubmissionIsAcceptedExactlyOnce(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync(provider);   // a schema (PostgreSQL) or a database (MariaDB) of its own
        var mySql = database.Dialect == SqlDialect.MySql;
        var connectionString = database.ConnectionString!;
        // Quartz's MySQL tables keep its upper-case names (qrtz_FIRED_TRIGGERS), and MariaDB names are case-sensitive on Linux.
        var (firedTriggers, schedulerState) = mySql ? ("qrtz_FIRED_TRIGGERS", "qrtz_SCHEDULER_STATE") : ("qrtz_fired_triggers", "qrtz_scheduler_state");
        var folder = Directory.CreateTempSubdirectory("portfolio-cluster-").FullName;
        var nodes = new List<Process>();
        try
        {
            var store = database.DataSource;
            await QuartzSchema.ApplyAsync(store, database.Dialect, cancellationToken: ct);   // the documented deployment step
            var ledger = new DbSubmissionLedger(store, database.Dialect);
            await ledger.EnsureCreatedAsync(ct);

            var options = new SandboxOptions();
            options.Faults.Rate = 1;                   // every answer comes 1.5 s after the submission is stored:
            options.Faults.Kinds = "latency";          // jobs are long enough to be killed in the middle
            options.Faults.Phase = FaultPhase.After;
            options.Faults.LatencyMilliseconds = 1500;
            await using var sandbox = await SandboxServer.StartAsync(options, cancellationToken: ct);

            var instances = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var (process, instance) = await SchedulerWorkerProcess.StartAsync(Log, ct, "--store", connectionString, "--store-provider", mySql ? "mysql" : "postgresql", "--gateway", sandbox.BaseAddress.ToString(), "--outbox", folder, "--sis", Path.Combine(folder, "sis"), "--sis-term", "113-1", "--schools", string.Join(",", Enumerable.Range(0, Schools).Select(SchoolOf)), "--schedule", "false", "--checkin", "1", "--idle", "1");
                nodes.Add(process);
                instances.Add(instance);
            }

            instances.Distinct().Count().ShouldBe(2); // instance id AUTO: unique per node

            // The schools' jobs, scheduled once into the shared store by a scheduler that does not run jobs itself.
            var client = await QuartzSchedulerBuilder.Create(q =>
            {
                q.ConfigureScheduler(s => s.InstanceName = "portfolio");
                q.UsePersistentStore(p =>
                {
                    if (mySql)
                    {
                        p.UseMySqlConnector(d => d.ConnectionString = connectionString);
                        p.UseDriverDelegate<Quartz.Impl.AdoJobStore.MySQLDelegate>();
                    }
                    else
                    {
                        p.UseDataSource(d =>
                        {
                            d.Provider = DataSourceOptions.Providers.Npgsql;
                            d.ConnectionString = connectionString;
                        });
                    }
                    p.UseSystemTextJsonSerializer();
                    p.ConfigureStore(s =>
                    {
                        s.StoreJobDataAsStrings = true;
                        s.TablePrefix = QuartzSchema.DefaultTablePrefix;   // qrtz_, as the nodes use: Quartz's own default QRTZ_ names other tables on MariaDB
                    });
                    p.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(1);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(2);
                    });
                });
            }).BuildScheduler(ct);
            for (var i = 0; i < Schools; i++)
            {
                var school = SchoolOf(i);
                var job = JobBuilder.Create<SemesterRostersJob>().WithIdentity($"semester-{school}", "cluster-test").RequestRecovery()
                    .UsingJobData(PortfolioJobData.School, school).UsingJobData(PortfolioJobData.Term, "113-1").Build();
                await client.ScheduleJob(job, TriggerBuilder.Create().WithIdentity($"semester-{school}", "cluster-test").StartNow().Build(), default, ct);
            }

            // Once both nodes have been seen running jobs (the schools spread over the cluster), kill one that is
            // executing a job, in the middle of it.
            string? killed = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 600 && killed is null; i++)
            {
                var executing = new List<string>();
                await using (var query = store.CreateCommand($"SELECT DISTINCT instance_name FROM {firedTriggers} WHERE state = 'EXECUTING'"))
                await using (var reader = await query.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        executing.Add(reader.GetString(0));
                    }
                }

                seen.UnionWith(executing);
                if (seen.Count == instances.Count && executing.FirstOrDefault(instances.Contains) is { } victim)
                {
                    var index = instances.IndexOf(victim);
                    nodes[index].Kill(entireProcessTree: true);
                    await nodes[index].WaitForExitAsync(ct);
                    killed = victim;
                }

                await Task.Delay(25, ct);
            }

            if (killed is null)
            {
                await using var states = store.CreateCommand(mySql
                    ? $"SELECT GROUP_CONCAT(CONCAT(state, ':', instance_name) SEPARATOR ', ') FROM {firedTriggers}"
                    : $"SELECT string_agg(state || ':' || instance_name, ', ') FROM {firedTriggers}");
                await using var triggers = store.CreateCommand(mySql
                    ? $"SELECT CONCAT('nodes: ', COALESCE((SELECT GROUP_CONCAT(CONCAT(sched_name, '/', instance_name)) FROM {schedulerState}), 'none'))"
                    : $"SELECT 'nodes: ' || coalesce((SELECT string_agg(sched_name || '/' || instance_name, ',') FROM {schedulerState}), 'none')");
                var detail = $"fired: {await states.ExecuteScalarAsync(ct)}; triggers: {await triggers.ExecuteScalarAsync(ct)}; sandbox: {sandbox.Store.SubmissionCount}; ledger: {(await ledger.ListAsync(cancellationToken: ct)).Count}; log: {Log.ToString()[..Math.Min(3000, Log.Length)]}";
                killed.ShouldNotBeNull($"both nodes were never seen executing jobs (seen: {seen.Count}): " + detail);
            }

            IReadOnlyList<SubmissionRecord> records = [];
            for (var i = 0; i < 480; i++)
            {
                records = await ledger.ListAsync(cancellationToken: ct);
                if (records.Count == Schools * Books && records.All(r => r.State == SubmissionState.Accepted))
                {
                    break;
                }

                await Task.Delay(250, ct);
            }

            records.Count.ShouldBe(Schools * Books);   // every semester book of every school, once
            records.ShouldAllBe(r => r.State == SubmissionState.Accepted);
            sandbox.Store.SubmissionCount.ShouldBe(Schools * Books);
            records.ShouldAllBe(r => sandbox.Store.TimesStored(r.IdempotencyKey) == 1);
            await using (var survivors = store.CreateCommand($"SELECT COUNT(*) FROM {schedulerState}"))
            {
                Convert.ToInt32(await survivors.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(1); // the dead node was taken out of the cluster
            }
        }
        finally
        {
            foreach (var node in nodes.Where(n => !n.HasExited))
            {
                node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync(CancellationToken.None);
            }

            nodes.ForEach(n => n.Dispose());
            Directory.Delete(folder, recursive: true);
        }
    }
}
