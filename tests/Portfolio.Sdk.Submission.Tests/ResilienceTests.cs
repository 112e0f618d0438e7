using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Submission.Http;

namespace Portfolio.Sdk.Submission.Tests;

public sealed class ResilienceTests
{
    [Fact]
    public void Defaults_AreThePinnedDocumentedValues()
    {
        GatewayResilienceDefaults.TotalTimeout.ShouldBe(TimeSpan.FromMinutes(5));
        GatewayResilienceDefaults.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(60));
        GatewayResilienceDefaults.MaxRetryAttempts.ShouldBe(5);
        GatewayResilienceDefaults.RetryBaseDelay.ShouldBe(TimeSpan.FromSeconds(2));
        GatewayResilienceDefaults.RetryMaxDelay.ShouldBe(TimeSpan.FromSeconds(60));
        GatewayResilienceDefaults.CircuitFailureRatio.ShouldBe(0.5);
        GatewayResilienceDefaults.CircuitMinimumThroughput.ShouldBe(10);
        GatewayResilienceDefaults.CircuitSamplingDuration.ShouldBe(TimeSpan.FromMinutes(2));
        GatewayResilienceDefaults.CircuitBreakDuration.ShouldBe(TimeSpan.FromSeconds(30));

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

    [Fact]
    public void TheStandardHandler_RunsWithThePinnedDefaults()
    {
        var services = new ServiceCollection();
        var builder = services.AddPortfolioGateway(o => o.BaseAddress = new Uri("https://k12ea.example.tw/"));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var standard = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(builder.Name + "-standard");
        standard.TotalRequestTimeout.Timeout.ShouldBe(TimeSpan.FromMinutes(5));
        standard.AttemptTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(60));
        standard.Retry.MaxRetryAttempts.ShouldBe(5);
        standard.Retry.Delay.ShouldBe(TimeSpan.FromSeconds(2));
        standard.Retry.MaxDelay.ShouldBe(TimeSpan.FromSeconds(60));
        standard.Retry.BackoffType.ShouldBe(Polly.DelayBackoffType.Exponential);
        standard.Retry.UseJitter.ShouldBeTrue();
        standard.Retry.ShouldRetryAfterHeader.ShouldBeTrue();
        standard.CircuitBreaker.FailureRatio.ShouldBe(0.5);
        standard.CircuitBreaker.MinimumThroughput.ShouldBe(10);
        standard.CircuitBreaker.SamplingDuration.ShouldBe(TimeSpan.FromMinutes(2));
        standard.CircuitBreaker.BreakDuration.ShouldBe(TimeSpan.FromSeconds(30));
        standard.RateLimiter.DefaultRateLimiterOptions.PermitLimit.ShouldBe(1000); // the library's, as documented
        standard.RateLimiter.DefaultRateLimiterOptions.QueueLimit.ShouldBe(0);
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
        ex.Message.ShouldContain("AttemptTimeout must be shorter than");
        ex.Message.ShouldNotContain("top-secret-token");
        new GatewayClientOptions { AccessToken = "top-secret-token" }.ToString().ShouldNotContain("top-secret-token");
    }

    [Fact]
    public async Task Retry_WaitsAsLongAsRetryAfterAsks()
    {
        var inner = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)) } },
            _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(inner);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Attempts.ShouldBe(2);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)); // the backoff alone would be ~20 ms
    }

    [Fact]
    public async Task RetryAfter_AboveRetryMaxDelay_IsCapped()
    {
        var inner = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(3)) } },
            _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(inner, r => { Harness.Fast(r); r.RetryMaxDelay = TimeSpan.FromMilliseconds(300); r.RetryBaseDelay = TimeSpan.FromMilliseconds(20); });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Attempts.ShouldBe(2);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10)); // three hours asked, 300 ms allowed
    }

    [Fact]
    public async Task EachAttempt_SendsAFreshCopyOfTheContent()
    {
        var bodies = new List<string>();
        var keys = new List<string>();
        void Record(HttpRequestMessage r)
        {
            bodies.Add(r.Content!.ReadAsStringAsync().Result);
            keys.Add(r.Headers.GetValues("Idempotency-Key").Single());
        }

        var inner = new ScriptedHandler(
            r => { Record(r); return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable); },
            r => { Record(r); throw new HttpRequestException("connection reset"); },
            r => { Record(r); return new HttpResponseMessage(HttpStatusCode.Created); });
        using var client = Client(inner);
        var opened = 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1/x"));
        request.Headers.Add("Idempotency-Key", "key-0001-abcdef");
        request.Options.Set(GatewayAttemptHandler.ContentFactory, () =>
        {
            opened++;
            return new StreamContent(new MemoryStream("roster bytes"u8.ToArray()));
        });
        using var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        opened.ShouldBe(3);
        bodies.ShouldBe(["roster bytes", "roster bytes", "roster bytes"]);
        keys.ShouldBe(["key-0001-abcdef", "key-0001-abcdef", "key-0001-abcdef"]);
    }

    [Fact]
    public async Task ZeroRetries_MeansExactlyOneAttempt()
    {
        var inner = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)) { Repeat = true };
        using var client = Client(inner, r => { Harness.Fast(r); r.MaxRetryAttempts = 0; });
        using var response = await client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        inner.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task PermanentFailure_IsNotRetried()
    {
        var inner = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest), _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(inner);
        using var response = await client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        inner.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task SlowAttempt_IsCutByTheAttemptTimeoutAndRetried()
    {
        var inner = new ScriptedHandler(_ => { Thread.Sleep(0); return null!; }, _ => new HttpResponseMessage(HttpStatusCode.OK)) { HangFirst = true };
        using var client = Client(inner, r => { Harness.Fast(r); r.AttemptTimeout = TimeSpan.FromMilliseconds(300); r.CircuitSamplingDuration = TimeSpan.FromSeconds(1); });
        using var response = await client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken);
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
        using (var failed = await client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken))
        {
            failed.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        }

        await Should.ThrowAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken));
        var before = inner.Attempts;
        before.ShouldBe(4);
        await Should.ThrowAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.Http.GetAsync(new Uri("http://127.0.0.1/x"), TestContext.Current.CancellationToken));
        inner.Attempts.ShouldBe(before);
    }

    private static TestClient Client(HttpMessageHandler inner, Action<GatewayResilienceOptions>? configure = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddPortfolioGateway(o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1/");
            (configure ?? Harness.Fast)(o.Resilience);
        });
        builder.ConfigurePrimaryHttpMessageHandler(() => inner);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new TestClient(provider, provider.GetRequiredService<IHttpClientFactory>().CreateClient(builder.Name));
    }

    /// <summary>The gateway's HTTP client as AddPortfolioGateway builds it (resilience handler, attempt handler) over a scripted primary handler.</summary>
    private sealed class TestClient(ServiceProvider provider, HttpClient http) : IDisposable
    {
        public HttpClient Http => http;

        public void Dispose()
        {
            http.Dispose();
            provider.Dispose();
        }
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
