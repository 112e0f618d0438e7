// The reference school portal: `dotnet run --project samples/SchoolPortal`, then open http://localhost:5080.
// Options: --urls http://127.0.0.1:5090 (any address), --data <folder> (default ~/.local/share/SchoolPortal), --students 120.
using SchoolPortal;

await using var app = await PortalApp.CreateAsync(args);
await app.RunAsync();
