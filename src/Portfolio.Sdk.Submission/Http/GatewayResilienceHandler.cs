using Polly;

namespace Portfolio.Sdk.Submission.Http;

/// <summary>
/// A <see cref="DelegatingHandler"/> that runs every request through a <see cref="GatewayResiliencePipeline"/>.
/// Each attempt sends a fresh copy of the request, with fresh content from the factory set under
/// <see cref="ContentFactory"/> (a stream that was half sent cannot be sent again), and buffers the response, so
/// a truncated body fails the attempt and is retried rather than failing the caller later.
/// </summary>
public sealed class GatewayResilienceHandler : DelegatingHandler
{
    /// <summary>The request option holding a function that creates the request content for each attempt.</summary>
    public static readonly HttpRequestOptionsKey<Func<HttpContent>> ContentFactory = new("Portfolio.Gateway.ContentFactory");

    private readonly GatewayResiliencePipeline _pipeline;

    /// <summary>Initializes the handler.</summary>
    /// <param name="pipeline">The shared pipeline.</param>
    public GatewayResilienceHandler(GatewayResiliencePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.TryGetValue(ContentFactory, out var factory);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await _pipeline.Pipeline.ExecuteOutcomeAsync(
                async (ctx, state) =>
                {
                    var attempt = Copy(state.Request, state.Factory);
                    try
                    {
                        var response = await base.SendAsync(attempt, ctx.CancellationToken).ConfigureAwait(false);
                        try
                        {
                            await response.Content.LoadIntoBufferAsync(ctx.CancellationToken).ConfigureAwait(false);
                        }
                        catch
                        {
                            response.Dispose();
                            throw;
                        }

                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                    finally
                    {
                        if (state.Factory is null)
                        {
                            attempt.Content = null; // the caller's content: reused by the next attempt, disposed by the caller
                        }

                        attempt.Dispose();
                    }
                },
                context,
                (Request: request, Factory: factory)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, Func<HttpContent>? factory)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = factory is not null ? factory() : request.Content,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }
}
