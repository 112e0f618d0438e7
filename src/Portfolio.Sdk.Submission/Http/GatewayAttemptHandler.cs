namespace Portfolio.Sdk.Submission.Http;

/// <summary>
/// Sits below the standard resilience handler, so it runs once per attempt: it gives the attempt fresh request
/// content from the factory set under <see cref="ContentFactory"/> (a stream that was half sent cannot be sent
/// again; the resilience handler resends the same request message), and buffers the response inside the attempt,
/// so a truncated or slow body fails that attempt (and is retried, within the attempt timeout) rather than failing
/// the caller later. Headers, the idempotency key among them, are left as they are: every attempt carries the same key.
/// </summary>
internal sealed class GatewayAttemptHandler : DelegatingHandler
{
    /// <summary>The request option holding a function that creates the request content for each attempt.</summary>
    internal static readonly HttpRequestOptionsKey<Func<HttpContent>> ContentFactory = new("Portfolio.Gateway.ContentFactory");

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(ContentFactory, out var factory))
        {
            var previous = request.Content;
            request.Content = factory();
            previous?.Dispose();
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }
}
