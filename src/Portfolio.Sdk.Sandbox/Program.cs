// The sandbox of the central-database gateway, for `dotnet run`: see README.md.
// A refusal to start (no token without Sandbox:AllowAnonymous, anonymous on a non-loopback address) is one line, not a stack trace.
Microsoft.AspNetCore.Builder.WebApplication app;
try
{
    app = Portfolio.Sdk.Sandbox.SandboxServer.Build(args);
}
catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}

await app.RunAsync().ConfigureAwait(false);
return 0;
