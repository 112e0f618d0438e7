using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Submission.Health;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>The ledger check against SQLite and PostgreSQL, the gateway check against a WireMock server that is up, refusing or down.</summary>
public sealed class HealthCheckTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LedgerCheck_IsUnhealthyWithoutTheTables_AndHealthyOnceCreated(bool postgres)
    {
        await using var database = postgres ? await TestSisDatabase.PostgresAsync() : TestSisDatabase.Sqlite();
        using var provider = Services(database.DataSource, database.Dialect).BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();
        var ct = TestContext.Current.CancellationToken;

        var before = (await health.CheckHealthAsync(ct)).Entries["portfolio-ledger"];
        before.Status.ShouldBe(HealthStatus.Unhealthy);
        before.Description!.ShouldContain(SubmissionLedgerSchema.SubmissionTable);
        ((string[])before.Data["missing_tables"]).Length.ShouldBe(6);   // submissions, receipt rows, confirmations; the desk's windows, answers and audit

        await new DbSubmissionLedger(database.DataSource, database.Dialect).EnsureCreatedAsync(ct);
        var after = (await health.CheckHealthAsync(ct)).Entries["portfolio-ledger"];
        after.Status.ShouldBe(HealthStatus.Healthy, after.Description);
    }

    [Fact]
    public async Task LedgerCheck_IsUnhealthy_WhenTheDatabaseCannotBeReached()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=portfolio;Password=secret-password;Database=nowhere;Timeout=3");
        using var provider = Services(dataSource, SqlDialect.PostgreSql).BuildServiceProvider();

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken)).Entries["portfolio-ledger"];

        entry.Status.ShouldBe(HealthStatus.Unhealthy);
        entry.Description!.ShouldNotContain("secret-password");
    }

    [Fact]
    public async Task GatewayCheck_IsHealthyWhenTheGatewayAnswers_AndNeverSubmits()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/v1/submissions/" + GatewayHealthCheck.ProbeKey).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/problem+json").WithBody("""{"status":404,"title":"Not found"}"""));
        using var provider = Gateway(new Uri(server.Url! + "/"));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        var entry = report.Entries["portfolio-gateway"];
        entry.Status.ShouldBe(HealthStatus.Healthy, entry.Description);
        entry.Data["http.response.status_code"].ShouldBe(404);
        var probe = server.LogEntries.ShouldHaveSingleItem();
        probe.RequestMessage.Method.ShouldBe("GET");
        probe.RequestMessage.Headers!["Authorization"].ShouldContain("Bearer probe-token");
    }

    [Theory]
    [InlineData(401, "PF4008")]
    [InlineData(503, "PF4012")]
    public async Task GatewayCheck_IsUnhealthy_WhenTheGatewayRefusesOrFails(int status, string code)
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(status));
        using var provider = Gateway(new Uri(server.Url! + "/"));

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken)).Entries["portfolio-gateway"];

        entry.Status.ShouldBe(HealthStatus.Unhealthy);
        entry.Description!.ShouldContain(code);
        entry.Description!.ShouldNotContain("probe-token");
        server.LogEntries.Count.ShouldBe(1); // a probe is not retried
    }

    [Fact]
    public async Task GatewayCheck_IsUnhealthy_WhenTheGatewayIsDown_AndHealthyWhenItComesBack()
    {
        var server = WireMockServer.Start();
        var address = new Uri(server.Url! + "/");
        server.Stop();
        server.Dispose();
        using var provider = Gateway(address);
        var health = provider.GetRequiredService<HealthCheckService>();
        var ct = TestContext.Current.CancellationToken;

        var down = (await health.CheckHealthAsync(ct)).Entries["portfolio-gateway"];
        down.Status.ShouldBe(HealthStatus.Unhealthy);
        down.Description!.ShouldContain("PF4012");

        using var back = WireMockServer.Start(address.Port);
        back.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        var up = (await health.CheckHealthAsync(ct)).Entries["portfolio-gateway"];
        up.Status.ShouldBe(HealthStatus.Healthy, up.Description);
    }

    private static ServiceCollection Services(System.Data.Common.DbDataSource dataSource, SqlDialect dialect)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(dataSource);
        services.AddPortfolioSubmission(o => o.Dialect = dialect);
        services.AddHealthChecks().AddPortfolioSubmissionHealthChecks();
        return services;
    }

    private static ServiceProvider Gateway(Uri address)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPortfolioGateway(o =>
        {
            o.BaseAddress = address;
            o.AccessToken = "probe-token";
        });
        services.AddHealthChecks().AddPortfolioGatewayHealthCheck(timeout: TimeSpan.FromSeconds(10));
        return services.BuildServiceProvider();
    }
}
