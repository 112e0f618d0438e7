using System.Diagnostics;
using System.Globalization;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Protocol;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Portfolio.Sdk.Submission.Tests.Contract;

/// <summary>
/// The gateway client's contract, against WireMock.Net: what each class of status becomes, how Retry-After is
/// honoured, what broken and slow bodies do, and that a submission keeps its one idempotency key through retries
/// and replays (read from WireMock's request log).
/// </summary>
public sealed class GatewayContractTests : IDisposable
{
    private const string Submissions = "/" + GatewayProtocol.SubmissionsPath;

    private readonly WireMockServer _server = WireMockServer.Start();

    [Fact]
    public async Task Created_IsAnAcceptedStatus_SentOnceWithKeyTokenAndBothParts()
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()
                .WithHeader(GatewayProtocol.IdempotencyKeyHeader, m.IdempotencyKey)
                .WithHeader("Authorization", "Bearer " + GatewayUnderTest.Token))
            .RespondWith(Json(201, GatewayUnderTest.Accepted(m)));
        using var client = GatewayUnderTest.For(_server);

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Replayed.ShouldBeFalse();
        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        delivery.Status.SubmissionId.ShouldBe("sub-0001");
        delivery.Status.AcceptedRows.ShouldBe(4);
        var entry = _server.LogEntries.ShouldHaveSingleItem();
        entry.RequestMessage.Body!.ShouldContain("name=metadata");
        entry.RequestMessage.Body!.ShouldContain("roster bytes");
        entry.RequestMessage.Body!.ShouldContain(m.IdempotencyKey);
    }

    [Theory]
    [InlineData(400, "PF4004")]
    [InlineData(409, "PF4007")]
    [InlineData(422, "PF4005")]
    public async Task WholeRequestRefusal_IsARejectedStatusWithTheProblemsDiagnostics_NotRetried(int status, string code)
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", GatewayProtocol.ProblemMediaType).WithBody(GatewayUnderTest.Problem(status, code)));
        using var client = GatewayUnderTest.For(_server);

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Rejected);
        delivery.Status.IdempotencyKey.ShouldBe(m.IdempotencyKey);
        delivery.Status.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(code);
        delivery.Status.Diagnostics[0].MessageEnglish.ShouldBe("English text");
        _server.LogEntries.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task RefusedToken_ThrowsPF4008_NotTransient_NotRetried(int status)
    {
        _server.Given(Request.Create().WithPath(Submissions).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", GatewayProtocol.ProblemMediaType).WithBody(GatewayUnderTest.Problem(status, "PF4008")));
        using var client = GatewayUnderTest.For(_server);

        var ex = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(GatewayUnderTest.Metadata(), GatewayUnderTest.Content, TestContext.Current.CancellationToken));

        ex.Diagnostic!.Code.ShouldBe(DiagnosticCodes.GatewayUnauthorized);
        ex.IsTransient.ShouldBeFalse();
        ex.Message.ShouldNotContain(GatewayUnderTest.Token);
        _server.LogEntries.Count.ShouldBe(1);
    }

    [Fact]
    public async Task NotFound_IsNullForAStatus_AndAPermanentFailureForASubmission()
    {
        _server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", GatewayProtocol.ProblemMediaType).WithBody(GatewayUnderTest.Problem(404, "PF4011")));
        using var client = GatewayUnderTest.For(_server);
        var ct = TestContext.Current.CancellationToken;

        (await client.Gateway.GetStatusAsync("0192f0c8a1b27c3d8e9f001122334455", ct)).ShouldBeNull();
        (await client.Gateway.GetReceiptAsync("rcpt-1", ct)).ShouldBeNull();
        var ex = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(GatewayUnderTest.Metadata(), GatewayUnderTest.Content, ct));
        ex.Diagnostic!.Code.ShouldBe(DiagnosticCodes.GatewayNotFound);
        ex.IsTransient.ShouldBeFalse();
        _server.LogEntries.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task TransientStatus_IsRetriedWithTheSameKey_ThenThrowsTransient(int status)
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", GatewayProtocol.ProblemMediaType).WithBody(GatewayUnderTest.Problem(status, "PF4012")));
        using var client = GatewayUnderTest.For(_server, r => r.MaxRetryAttempts = 2);

        var ex = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken));

        ex.IsTransient.ShouldBeTrue();
        ex.Diagnostic!.Code.ShouldBe(DiagnosticCodes.GatewayUnavailable);
        GatewayUnderTest.Keys(_server).ShouldBe([m.IdempotencyKey, m.IdempotencyKey, m.IdempotencyKey]); // one attempt and two retries
        _server.LogEntries.ShouldAllBe(e => e.RequestMessage.Body!.Contains("roster bytes")); // fresh content on every attempt
    }

    [Fact]
    public async Task TransientThenCreated_Succeeds_AndTheKeyIsUnchangedAcrossRetries()
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("flaky").WillSetStateTo("up", 2)
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Json(201, GatewayUnderTest.Accepted(m)));
        using var client = GatewayUnderTest.For(_server, r => r.MaxRetryAttempts = 3);

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        GatewayUnderTest.Keys(_server).ShouldBe([m.IdempotencyKey, m.IdempotencyKey, m.IdempotencyKey]);
    }

    [Fact]
    public async Task OpenCircuit_FailsFastAsTransient_WithoutReachingTheGateway()
    {
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        using var client = GatewayUnderTest.For(_server, r =>
        {
            r.MaxRetryAttempts = 2;
            r.CircuitFailureRatio = 0.5;
            r.CircuitMinimumThroughput = 4;
            r.CircuitBreakDuration = TimeSpan.FromSeconds(30);
        });
        var ct = TestContext.Current.CancellationToken;

        // The first call spends its three attempts on 500s; the circuit opens on the fourth attempt, during the second call.
        (await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(GatewayUnderTest.Metadata(), GatewayUnderTest.Content, ct))).IsTransient.ShouldBeTrue();
        var opened = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(GatewayUnderTest.Metadata(), GatewayUnderTest.Content, ct));
        opened.InnerException.ShouldBeOfType<Polly.CircuitBreaker.BrokenCircuitException>();
        _server.LogEntries.Count.ShouldBe(4);

        var fast = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(GatewayUnderTest.Metadata(), GatewayUnderTest.Content, ct));
        fast.IsTransient.ShouldBeTrue();
        fast.Diagnostic!.Code.ShouldBe(DiagnosticCodes.GatewayUnavailable);
        fast.InnerException.ShouldBeOfType<Polly.CircuitBreaker.BrokenCircuitException>();
        _server.LogEntries.Count.ShouldBe(4); // refused without a request
    }

    [Fact]
    public async Task IdempotentReplay_ReturnsTheEarlierResult_ForTheSameKey()
    {
        var m = GatewayUnderTest.Metadata();
        var first = GatewayUnderTest.Accepted(m, "sub-first");
        _server.Given(Request.Create().WithPath(Submissions).UsingPost().WithHeader(GatewayProtocol.IdempotencyKeyHeader, m.IdempotencyKey))
            .InScenario("replay").WillSetStateTo("stored")
            .RespondWith(Json(201, first));
        _server.Given(Request.Create().WithPath(Submissions).UsingPost().WithHeader(GatewayProtocol.IdempotencyKeyHeader, m.IdempotencyKey))
            .InScenario("replay").WhenStateIs("stored")
            .RespondWith(Json(200, first).WithHeader(GatewayProtocol.ReplayedHeader, "true"));
        using var client = GatewayUnderTest.For(_server);
        var ct = TestContext.Current.CancellationToken;

        var original = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, ct);
        var replay = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, ct);

        original.Replayed.ShouldBeFalse();
        replay.Replayed.ShouldBeTrue();
        replay.Status.ShouldBeEquivalentTo(original.Status);
        replay.Status!.SubmissionId.ShouldBe("sub-first");
        GatewayUnderTest.Keys(_server).ShouldBe([m.IdempotencyKey, m.IdempotencyKey]);
    }

    [Fact]
    public async Task RetryAfterSeconds_IsWaitedFor()
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("throttled").WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "2"));
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("throttled").WhenStateIs("free")
            .RespondWith(Json(201, GatewayUnderTest.Accepted(m)));
        using var client = GatewayUnderTest.For(_server);
        var watch = Stopwatch.StartNew();

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1900)); // the backoff alone would be ~20 ms
        GatewayUnderTest.Keys(_server).ShouldBe([m.IdempotencyKey, m.IdempotencyKey]);
    }

    [Fact]
    public async Task RetryAfterHttpDate_IsWaitedFor()
    {
        var m = GatewayUnderTest.Metadata();
        var until = DateTimeOffset.UtcNow.AddSeconds(3);
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("maintenance").WillSetStateTo("over")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", until.ToString("r", CultureInfo.InvariantCulture)));
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("maintenance").WhenStateIs("over")
            .RespondWith(Json(201, GatewayUnderTest.Accepted(m)));
        using var client = GatewayUnderTest.For(_server);
        var watch = Stopwatch.StartNew();

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1500)); // the date has whole seconds: 2 to 3 s ahead
        _server.LogEntries.Count.ShouldBe(2);
    }

    [Fact]
    public async Task RetryAfter_BeyondRetryMaxDelay_IsCapped()
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("long").WillSetStateTo("back")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "3600"));
        _server.Given(Request.Create().WithPath(Submissions).UsingPost()).InScenario("long").WhenStateIs("back")
            .RespondWith(Json(201, GatewayUnderTest.Accepted(m)));
        using var client = GatewayUnderTest.For(_server, r => r.RetryMaxDelay = TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20)); // an hour asked, half a second allowed
    }

    [Fact]
    public async Task GarbledBody_OnSuccess_IsPF4013_NotRetried()
    {
        var m = GatewayUnderTest.Metadata();
        _server.Given(Request.Create().WithPath(Submissions).UsingPost())
            .RespondWith(Json(201, GatewayUnderTest.Accepted(m)).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        using var client = GatewayUnderTest.For(_server);

        var ex = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken));

        ex.Diagnostic!.Code.ShouldBe(DiagnosticCodes.GatewayUnexpectedResponse);
        ex.IsTransient.ShouldBeFalse();
        _server.LogEntries.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AlwaysSlow_EndsAsATransientFailure_WithinTheTotalTimeout()
    {
        _server.Given(Request.Create().WithPath(Submissions).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithDelay(TimeSpan.FromSeconds(3)));
        using var client = GatewayUnderTest.For(_server, r =>
        {
            r.AttemptTimeout = TimeSpan.FromMilliseconds(400);
            r.TotalTimeout = TimeSpan.FromSeconds(2);
            r.MaxRetryAttempts = 20;
        });
        var m = GatewayUnderTest.Metadata();
        var watch = Stopwatch.StartNew();

        var ex = await Should.ThrowAsync<GatewayException>(() => client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken));

        ex.IsTransient.ShouldBeTrue();
        ex.InnerException.ShouldBeOfType<Polly.Timeout.TimeoutRejectedException>();
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2.9)); // no attempt was waited out
        await WaitForLogAsync(2); // WireMock logs a request once its delayed answer is written
        GatewayUnderTest.Keys(_server).Count.ShouldBeGreaterThanOrEqualTo(2);
        GatewayUnderTest.Keys(_server).ShouldAllBe(k => k == m.IdempotencyKey);
    }

    [Fact]
    public async Task TruncatedBody_FailsTheAttempt_AndIsRetriedWithTheSameKey()
    {
        var m = GatewayUnderTest.Metadata();
        var body = GatewayUnderTest.Accepted(m);
        await using var raw = new RawHttpServer(
            (s, ct) => RawHttpServer.WriteAsync(s, 201, body[..20], declaredLength: body.Length, cancellationToken: ct), // then the connection closes
            (s, ct) => RawHttpServer.WriteAsync(s, 201, body, cancellationToken: ct));
        using var client = GatewayUnderTest.For(raw.BaseAddress);

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        raw.Heads.Count.ShouldBe(2);
        raw.Heads.ShouldAllBe(h => h.Contains($"{GatewayProtocol.IdempotencyKeyHeader}: {m.IdempotencyKey}"));
    }

    [Fact]
    public async Task SlowBody_IsCutByTheAttemptTimeout_AndRetried()
    {
        var m = GatewayUnderTest.Metadata();
        var body = GatewayUnderTest.Accepted(m);
        await using var raw = new RawHttpServer(
            async (s, ct) =>
            {
                await RawHttpServer.WriteAsync(s, 201, body[..10], declaredLength: body.Length, cancellationToken: ct);
                await Task.Delay(TimeSpan.FromSeconds(5), ct); // the rest of the body trickles in too late
            },
            (s, ct) => RawHttpServer.WriteAsync(s, 201, body, cancellationToken: ct));
        using var client = GatewayUnderTest.For(raw.BaseAddress, r => r.AttemptTimeout = TimeSpan.FromMilliseconds(700));
        var watch = Stopwatch.StartNew();

        var delivery = await client.Gateway.SubmitAsync(m, GatewayUnderTest.Content, TestContext.Current.CancellationToken);

        delivery.Status!.Verdict.ShouldBe(GatewayVerdict.Accepted);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4.5));
        raw.Heads.Count.ShouldBe(2);
    }

    public void Dispose() => _server.Dispose();

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private async Task WaitForLogAsync(int count)
    {
        for (var i = 0; i < 80 && _server.LogEntries.Count < count; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
