// The sandbox of the central-database gateway, for `dotnet run`: see README.md.
// A refusal to start (no token without Sandbox:AllowAnonymous, anonymous on a non-loopback address) is one line, not a stack trace.
Microsoft.AspNetCore.Builder.WebApplication app;
try
{
    app = Portfolio.Sdk.Sandbox.SandboxServer.Build(args);
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}

await app.RunAsync().ConfigureAwait(false);
return 0;
