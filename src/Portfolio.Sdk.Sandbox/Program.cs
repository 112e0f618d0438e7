// The sandbox of the central-database gateway, for `dotnet run`: see README.md.
var app = Portfolio.Sdk.Sandbox.SandboxServer.Build(args);
await app.RunAsync().ConfigureAwait(false);
