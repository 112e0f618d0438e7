using System.Diagnostics;
using System.Text;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>Starts <c>samples/SchedulerWorker</c> as a process of its own, as a vendor would run it.</summary>
internal static class SchedulerWorkerProcess
{
    /// <summary>Starts the worker and waits until it prints its scheduler instance id; everything it prints after that, and its error output, goes to <paramref name="log"/>.</summary>
    public static async Task<(Process Process, string Instance)> StartAsync(StringBuilder log, CancellationToken cancellationToken, params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.Combine("samples", "SchedulerWorker", "bin", configuration, "net10.0", "SchedulerWorker.dll"));
        foreach (var arg in new[] { "--Logging:LogLevel:Default", "Warning" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        };
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("instance: ", StringComparison.Ordinal))
            {
                _ = DrainAsync(process.StandardOutput, log);
                return (process, line["instance: ".Length..]);
            }
        }

        await process.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"The worker exited with {process.ExitCode} before it started: {log}");
    }

    /// <summary>Counts the times <paramref name="text"/> occurs in the log so far.</summary>
    public static int Occurrences(StringBuilder log, string text)
    {
        lock (log)
        {
            var all = log.ToString();
            var count = 0;
            for (var at = all.IndexOf(text, StringComparison.Ordinal); at >= 0; at = all.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }

    private static async Task DrainAsync(StreamReader output, StringBuilder log)
    {
        while (await output.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}
