using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Benchmarks;

/// <summary>
/// Reconciles a 4.2 學期成績 roster with its 收訖明細 (1 row in 100 changed, 1 in 200 missing): the roster read back
/// from its workbook and the receipt's rows from JSON, either both streamed into a <see cref="ReceiptReconciliation"/>
/// (what <c>SubmissionService.ReconcileAsync</c> does) or both first collected into lists for
/// <see cref="ReceiptReconciler.Reconcile"/>. The floor is the streaming read of the same workbook with every row
/// converted and dropped. Each scenario runs in its own
/// child process; the parent prints the ratio and each one's peak working set.
/// </summary>
internal static class ReconcileBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--child", var childScenario, var childWorkbook, var childReceipt])
        {
            return await ChildAsync(childScenario, childWorkbook, childReceipt);
        }

        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [50_000, 200_000];
        Console.WriteLine($"reconcile benchmark: 4.2 學期成績 with its receipt, {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of 3");
        Console.WriteLine($"{"scenario",-46} {"rows",8} {"seconds",8} {"rows/s",10} {"vs floor",9} {"peak MiB",9} {"alloc MiB",10}");
        foreach (var rows in sizes)
        {
            var (workbook, receipt) = await PrepareAsync(rows);
            try
            {
                double? floor = null;
                foreach (var (scenario, label) in new[] { ("read", "floor: streaming read, rows dropped"), ("reconcile", "streamed: ReceiptReconciliation"), ("lists", "both sides in lists: ReceiptReconciler") })
                {
                    var runs = Enumerable.Range(0, 3).Select(_ => Child(scenario, workbook, receipt)).OrderBy(r => r.Seconds).ToList();
                    var median = runs[1];
                    floor ??= median.Seconds;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{label,-46} {rows,8} {median.Seconds,8:F2} {rows / median.Seconds,10:N0} {median.Seconds / floor.Value,9:F2} {median.PeakBytes / 1048576.0,9:F0} {median.AllocatedBytes / 1048576.0,10:F0}  ({median.Result})"));
                }
            }
            finally
            {
                File.Delete(workbook);
                File.Delete(receipt);
            }
        }

        return 0;
    }

    private static async Task<(string Workbook, string Receipt)> PrepareAsync(int rows)
    {
        var book = RosterCatalogue.Default["grades"];
        var cover = new RosterCover(SchoolCode.Parse("060322"), new SchoolYear(113), Term.First);
        var workbook = Path.Combine(Path.GetTempPath(), $"bench-reconcile-{rows}.xlsx");
        using (var file = File.Create(workbook))
        using (var writer = RosterWorkbookWriter.Create(file, book, cover))
        using (var sheet = writer.BeginSheet("semester-grades"))
        {
            foreach (var row in GradeRows.Generate(sheet.Layout, rows))
            {
                sheet.WriteRow(row);
            }
        }

        // The receipt: what the sandbox would send back, with 1 row in 100 changed and 1 in 200 missing.
        var received = new List<ReceiptRow>(rows);
        using (var file = File.OpenRead(workbook))
        {
            var index = 0;
            RosterContent.Read(file, SubmissionContentKind.Workbook, "bench", row =>
            {
                index++;
                if (index % 200 == 0)
                {
                    return;
                }

                var values = new Dictionary<string, string?>(row.Values, StringComparer.Ordinal);
                if (index % 100 == 0)
                {
                    values["score"] = "59";
                }

                received.Add(new ReceiptRow { StudentKey = row.StudentKey, Sheet = row.Sheet, RowKey = row.RowKey, Values = values });
            });
        }

        var receipt = Path.Combine(Path.GetTempPath(), $"bench-reconcile-{rows}.json");
        await using (var file = File.Create(receipt))
        {
            await JsonSerializer.SerializeAsync(file, received, GatewayJson.Options); // the receipt's rows
        }

        return (workbook, receipt);
    }

    private static async Task<int> ChildAsync(string scenario, string workbook, string receiptPath)
    {
        var watch = Stopwatch.StartNew();
        string result;
        if (scenario == "read")
        {
            var count = 0;
            using var file = File.OpenRead(workbook);
            RosterContent.Read(file, SubmissionContentKind.Workbook, "bench", _ => count++);
            result = count.ToString(CultureInfo.InvariantCulture) + " rows";
        }
        else if (scenario == "lists")
        {
            var submitted = new List<RosterContentRow>();
            using (var file = File.OpenRead(workbook))
            {
                RosterContent.Read(file, SubmissionContentKind.Workbook, "bench", submitted.Add);
            }

            await using var json = File.OpenRead(receiptPath);
            var received = await JsonSerializer.DeserializeAsync<List<ReceiptRow>>(json, GatewayJson.Options);
            var report = ReceiptReconciler.Reconcile(submitted, received!, "R-bench");
            result = string.Create(CultureInfo.InvariantCulture,
                $"{report.Matched} matched, {report.Count(RowDifferenceKind.Changed)} changed, {report.Count(RowDifferenceKind.Missing)} missing");
        }
        else
        {
            // As SubmissionService.ReconcileAsync does: the roster streamed in, then the receipt's rows streamed
            // (here from the JSON array of the receipt's rows, as the ledger streams them from its table).
            var reconciliation = new ReceiptReconciliation("R-bench");
            using (var file = File.OpenRead(workbook))
            {
                RosterContent.Read(file, SubmissionContentKind.Workbook, "bench", reconciliation.AddSubmitted);
            }

            await using var json = File.OpenRead(receiptPath);
            await foreach (var row in JsonSerializer.DeserializeAsyncEnumerable<ReceiptRow>(json, GatewayJson.Options))
            {
                reconciliation.AddReceived(row!);
            }

            var report = reconciliation.Complete();
            result = string.Create(CultureInfo.InvariantCulture,
                $"{report.Matched} matched, {report.Count(RowDifferenceKind.Changed)} changed, {report.Count(RowDifferenceKind.Missing)} missing");
        }

        watch.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:F3} {self.PeakWorkingSet64} {GC.GetTotalAllocatedBytes()} {result}"));
        return 0;
    }

    private static (double Seconds, long PeakBytes, long AllocatedBytes, string Result) Child(string scenario, string workbook, string receipt)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        foreach (var argument in new[] { typeof(GradeRows).Assembly.Location, "reconcile", "--child", scenario, workbook, receipt }.Skip(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? 0 : 1))
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var line = child.StandardOutput.ReadToEnd().Trim().Split(' ', 4);
        child.WaitForExit();
        return (double.Parse(line[0], CultureInfo.InvariantCulture), long.Parse(line[1], CultureInfo.InvariantCulture), long.Parse(line[2], CultureInfo.InvariantCulture), line[3]);
    }
}
