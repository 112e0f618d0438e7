using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Submission.Http;

namespace Portfolio.Sdk.Submission.Tests;

public sealed class ResilienceTests
{
    [Fact]
    public void Defaults_AreThePinnedDocumentedValues()
    {
        var r = new GatewayClientOptions().Resilience;
        r.TotalTimeout.ShouldBe(TimeSpan.FromMinutes(5));
        r.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(60));
        r.MaxRetryAttempts.ShouldBe(5);
        r.RetryBaseDelay.ShouldBe(TimeSpan.FromSeconds(2));
        r.RetryMaxDelay.ShouldBe(TimeSpan.FromSeconds(60));
        r.CircuitFailureRatio.ShouldBe(0.5);
        r.CircuitMinimumThroughput.ShouldBe(10);
        r.CircuitSamplingDuration.ShouldBe(TimeSpan.FromMinutes(2));
        r.CircuitBreakDuration.ShouldBe(TimeSpan.FromSeconds(30));
        r.Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://k12ea.example.tw/", true)]
    [InlineData("http://127.0.0.1:5080/", true)]
    [InlineData("http://localhost:5080/", true)]
    [InlineData("http://[::1]:5080/", true)]
    [InlineData("http://k12ea.example.tw/", false)]
    [InlineData("ftp://127.0.0.1/", false)]
    public void BaseAddress_MustBeHttpsUnlessLoopback(string address, bool valid)
    {
        var result = new GatewayClientOptionsValidator().Validate(null, new GatewayClientOptions { BaseAddress = new Uri(address) });
        result.Succeeded.ShouldBe(valid, result.FailureMessage);
    }

    [Fact]
    public void IncoherentPipeline_IsRefusedAtStartUp()
    {
        var services = new ServiceCollection();
        services.AddPortfolioGateway(o =>
        {
            o.BaseAddress = new Uri("http://k12ea.example.tw/");
            o.AccessToken = "top-secret-token";
            o.Resilience.AttemptTimeout = TimeSpan.FromMinutes(10);
        });
        using var provider = services.BuildServiceProvider();

        var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        ex.Message.ShouldContain("HTTPS");
        ex.Message.ShouldContain("AttemptTimeout must not exceed");
        ex.Message.ShouldNotContain("top-secret-token");
        new GatewayClientOptions { AccessToken = "top-secret-token" }.ToString().ShouldNotContain("top-secret-token");
    }

    [Fact]
    public void RetryAfter_IsHonouredAsSecondsOrDateAndCapped()
    {
        var clock = new Portfolio.Sdk.Testing.FakeTimeProvider(new DateTimeOffset(2024, 10, 1, 0, 0, 0, TimeSpan.Zero));
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)) } };
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(clock.GetUtcNow().AddSeconds(20)) } };
        using var huge = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(3)) } };
        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        GatewayResiliencePipeline.RetryAfter(seconds, clock, TimeSpan.FromMinutes(1)).ShouldBe(TimeSpan.FromSeconds(7));
        GatewayResiliencePipeline.RetryAfter(date, clock, TimeSpan.FromMinutes(1)).ShouldBe(TimeSpan.FromSeconds(20));
        GatewayResiliencePipeline.RetryAfter(huge, clock, TimeSpan.FromMinutes(1)).ShouldBe(TimeSpan.FromMinutes(1));
        GatewayResiliencePipeline.RetryAfter(none, clock, TimeSpan.FromMinutes(1)).ShouldBeNull();
    }

    [Fact]
    public async Task Retry_WaitsAsLongAsRetryAfterAsks()
    {
        var inner = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)) } },
            _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(inner);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Attempts.ShouldBe(2);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)); // the backoff alone would be ~20 ms
    }

    [Fact]
    public async Task EachAttempt_SendsAFreshCopyOfTheContent()
    {
        var bodies = new List<string>();
        var inner = new ScriptedHandler(
            r => { bodies.Add(r.Content!.ReadAsStringAsync().Result); return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable); },
            r => { bodies.Add(r.Content!.ReadAsStringAsync().Result); throw new HttpRequestException("connection reset"); },
            r => { bodies.Add(r.Content!.ReadAsStringAsync().Result); return new HttpResponseMessage(HttpStatusCode.Created); });
        using var client = Client(inner);
        var opened = 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1/x"));
        request.Options.Set(GatewayResilienceHandler.ContentFactory, () =>
        {
            opened++;
            return new StreamContent(new MemoryStream("roster bytes"u8.ToArray()));
        });
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        opened.ShouldBe(3);
        bodies.ShouldBe(["roster bytes", "roster bytes", "roster bytes"]);
    }

    [Fact]
    public async Task PermanentFailure_IsNotRetried()
    {
        var inner = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest), _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(inner);
        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        inner.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task SlowAttempt_IsCutByTheAttemptTimeoutAndRetried()
    {
        var inner = new ScriptedHandler(_ => { Thread.Sleep(0); return null!; }, _ => new HttpResponseMessage(HttpStatusCode.OK)) { HangFirst = true };
        using var client = Client(inner, r => { Harness.Fast(r); r.AttemptTimeout = TimeSpan.FromMilliseconds(300); r.CircuitSamplingDuration = TimeSpan.FromSeconds(1); });
        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task CircuitBreaker_OpensAfterRepeatedFailures_AndFailsFast()
    {
        var inner = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)) { Repeat = true };
        using var client = Client(inner, r =>
        {
            Harness.Fast(r);
            r.MaxRetryAttempts = 2;
            r.CircuitFailureRatio = 0.5;
            r.CircuitMinimumThroughput = 4;
            r.CircuitBreakDuration = TimeSpan.FromSeconds(30);
        });
        // The first call spends its three attempts on 500s; the circuit opens during the second.
        using (var failed = await client.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken))
        {
            failed.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        }

        await Should.ThrowAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken));
        var before = inner.Attempts;
        before.ShouldBe(4);
        await Should.ThrowAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken));
        inner.Attempts.ShouldBe(before);
    }

    private static HttpClient Client(HttpMessageHandler inner, Action<GatewayResilienceOptions>? configure = null)
    {
        var options = new GatewayResilienceOptions();
        (configure ?? Harness.Fast)(options);
        return new HttpClient(new GatewayResilienceHandler(new GatewayResiliencePipeline(options)) { InnerHandler = inner });
    }

    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        public bool Repeat { get; init; }

        public bool HangFirst { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts) - 1;
            if (HangFirst && attempt == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return script[Repeat ? 0 : Math.Min(attempt, script.Length - 1)](request);
        }
    }
}
