using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk.Sandbox;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio sandbox</c>: run the central-database sandbox until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public static Command Build()
    {
        var urls = new Option<string>("--urls") { Description = "監聽位址 / where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var rate = new Option<double>("--fault-rate") { Description = "隨機故障比例 0–1 / share of requests that get a random fault, 0–1" };
        var kinds = new Option<string>("--fault-kinds") { Description = "故障種類 / fault kinds: all, or 500,503,429,latency,drop,truncate", DefaultValueFactory = _ => "all" };
        var token = new Option<string?>("--token") { Description = "要求的存取權杖 / the access token clients must send" };
        var command = new Command("sandbox", "啟動中央資料庫沙箱（Ctrl+C 結束）/ run the central-database sandbox until Ctrl+C") { urls, rate, kinds, token };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SandboxOptions { AccessToken = parse.GetValue(token) };
            options.Faults.Rate = Math.Clamp(parse.GetValue(rate), 0, 1);
            options.Faults.Kinds = parse.GetValue(kinds)!;
            try
            {
                _ = options.Faults.KindList();
            }
            catch (FormatException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
                return ExitCodes.UsageOrUnreadable;
            }

            await using var app = SandboxServer.Build(["--urls", parse.GetValue(urls)!], options);
            await app.StartAsync(cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"中央資料庫沙箱 / central-database sandbox: {string.Join(", ", app.Urls)} (faults: {options.Faults}); Ctrl+C 結束 / to stop"));
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }
}
