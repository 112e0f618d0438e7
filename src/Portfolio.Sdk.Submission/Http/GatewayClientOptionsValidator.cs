using System.Net;
using Microsoft.Extensions.Options;

namespace Portfolio.Sdk.Submission.Http;

/// <summary>Validates <see cref="GatewayClientOptions"/> at start-up: an address, HTTPS unless loopback, and a coherent pipeline.</summary>
public sealed class GatewayClientOptionsValidator : IValidateOptions<GatewayClientOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address)
        {
            problems.Add("Portfolio:Gateway:BaseAddress is required and must be an absolute URI.");
        }
        else if (address.Scheme != Uri.UriSchemeHttps && !(address.Scheme == Uri.UriSchemeHttp && IsLoopback(address)))
        {
            problems.Add($"Portfolio:Gateway:BaseAddress must use HTTPS (plain HTTP is allowed only for loopback, e.g. the local sandbox); got {address.Scheme}://{address.Host}.");
        }

        problems.AddRange(options.Resilience.Validate());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Whether an address is this machine.</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> for <c>localhost</c> and loopback IP addresses.</returns>
    public static bool IsLoopback(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsLoopback || (IPAddress.TryParse(address.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
    }
}
