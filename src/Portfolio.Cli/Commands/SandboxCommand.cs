using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk.Sandbox;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio sandbox</c>: run the central-database sandbox until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public const string TokenVariable = "PORTFOLIO_SANDBOX_TOKEN";

    public static Command Build()
    {
        var urls = new Option<string>("--urls") { Description = "監聽位址 / where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var rate = new Option<double>("--fault-rate") { Description = "隨機故障比例 0–1 / share of requests that get a random fault, 0–1" };
        var kinds = new Option<string>("--fault-kinds") { Description = "故障種類 / fault kinds: all, or 500,503,429,latency,drop,truncate", DefaultValueFactory = _ => "all" };
        var token = new Option<string?>("--token") { Description = $"要求的存取權杖（或環境變數 {TokenVariable}）/ the access token clients must send (or {TokenVariable})" };
        var noAuth = new Option<bool>("--no-auth") { Description = "不驗證，只在本機監聽 / no authentication, loopback only" };
        var data = new Option<string?>("--data") { Description = "保存送件與收訖明細的 SQLite 檔，重新啟動後仍在 / a SQLite file that keeps submissions and receipts across restarts" };
        var command = new Command("sandbox", "啟動中央資料庫沙箱（Ctrl+C 結束）；需要 --token，或 --no-auth 只在本機監聽 / run the central-database sandbox until Ctrl+C; needs --token, or --no-auth for loopback only") { urls, rate, kinds, token, noAuth, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SandboxOptions
            {
                AccessToken = parse.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable),
                AllowAnonymous = parse.GetValue(noAuth),
                DataFile = parse.GetValue(data),
            };
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

            Microsoft.AspNetCore.Builder.WebApplication built;
            try
            {
                built = SandboxServer.Build(["--urls", parse.GetValue(urls)!], options);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ex is InvalidOperationException ? ex.Message : $"--data: {ex.Message}");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var app = built;
            await app.StartAsync(cancellationToken);
            var auth = string.IsNullOrEmpty(options.AccessToken) ? "不驗證，只在本機 / no authentication, loopback only" : "需要權杖 / token required";
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"中央資料庫沙箱 / central-database sandbox: {string.Join(", ", app.Urls)} ({auth}; state: {options.DataFile ?? "memory"}; faults: {options.Faults}); Ctrl+C 結束 / to stop"));
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
