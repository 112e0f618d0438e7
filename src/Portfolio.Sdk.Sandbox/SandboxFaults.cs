using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Sandbox;

/// <summary>Injects the faults asked for by header or drawn at random (see <see cref="SandboxFaultOptions"/>).</summary>
internal sealed class SandboxFaults
{
    private readonly SandboxFaultOptions _options;
    private readonly IReadOnlyList<FaultKind> _kinds;
    private readonly SandboxStore _store;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public SandboxFaults(SandboxFaultOptions options, SandboxStore store)
    {
        _options = options;
        _kinds = options.KindList();
        _store = store;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/" + GatewayProtocol.Version, StringComparison.Ordinal) || Choose(context) is not { } fault)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        _store.CountFault();
        if (fault.Phase == FaultPhase.Before)
        {
            await BeforeAsync(context, next, fault).ConfigureAwait(false);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        switch (fault.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(fault.Milliseconds, context.RequestAborted).ConfigureAwait(false);
                buffer.Position = 0;
                await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
                break;
            case FaultKind.Drop:
                context.Abort();
                break;
            case FaultKind.Truncate:
                await TruncateAsync(context, buffer.ToArray()).ConfigureAwait(false);
                break;
            default:
                context.Response.Clear();
                await WriteStatusAsync(context, fault).ConfigureAwait(false);
                break;
        }
    }

    private static async Task BeforeAsync(HttpContext context, RequestDelegate next, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(fault.Milliseconds, context.RequestAborted).ConfigureAwait(false);
                await next(context).ConfigureAwait(false);
                break;
            case FaultKind.Drop:
                context.Abort();
                break;
            case FaultKind.Truncate:
                await TruncateAsync(context, JsonSerializer.SerializeToUtf8Bytes(new GatewayProblem { Status = 503, Title = "truncated by the sandbox" }, GatewayJson.Options)).ConfigureAwait(false);
                break;
            default:
                await WriteStatusAsync(context, fault).ConfigureAwait(false);
                break;
        }
    }

    // Declares the whole length, sends half, and cuts the connection: the client sees a body that ends early.
    private static async Task TruncateAsync(HttpContext context, byte[] body)
    {
        if (body.Length < 2)
        {
            body = "{\"truncated\":true}"u8.ToArray();
        }

        context.Response.ContentLength = body.Length;
        context.Response.ContentType ??= "application/json";
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    private static Task WriteStatusAsync(HttpContext context, Fault fault)
    {
        var status = fault.Kind switch { FaultKind.Status429 => 429, FaultKind.Status503 => 503, _ => 500 };
        if (status == 429)
        {
            context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        var diagnostic = DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnavailable, null, $"fault injected by the sandbox (HTTP {status})");
        return SandboxEndpoints.ProblemAsync(context, status, "Fault injected by the sandbox", [diagnostic]);
    }

    private Fault? Choose(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue(SandboxFaultOptions.Header, out var header) && header.ToString() is { Length: > 0 } spec)
        {
            return Parse(spec);
        }

        lock (_gate)
        {
            if (_options.Rate <= 0 || _kinds.Count == 0 || _random.NextDouble() >= _options.Rate)
            {
                return null;
            }

            var kind = _kinds[_random.Next(_kinds.Count)];
            var phase = _options.Phase == FaultPhase.Either ? (_random.Next(2) == 0 ? FaultPhase.Before : FaultPhase.After) : _options.Phase;
            return new Fault(kind, phase, _options.RetryAfterSeconds, _options.LatencyMilliseconds);
        }
    }

    private Fault? Parse(string spec)
    {
        var parts = spec.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !SandboxFaultOptions.TryParseKind(parts[0], out var kind))
        {
            return null;
        }

        var fault = new Fault(kind, FaultPhase.Before, _options.RetryAfterSeconds, _options.LatencyMilliseconds);
        foreach (var part in parts.Skip(1))
        {
            var (name, value) = part.Split('=', 2) is [var n, var v] ? (n.Trim().ToUpperInvariant(), v.Trim()) : (part.ToUpperInvariant(), string.Empty);
            _ = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
            fault = name switch
            {
                "PHASE" => fault with { Phase = value.Equals("after", StringComparison.OrdinalIgnoreCase) ? FaultPhase.After : FaultPhase.Before },
                "RETRY-AFTER" => fault with { RetryAfterSeconds = Math.Clamp(number, 0, 3600) },
                "MS" => fault with { Milliseconds = Math.Clamp(number, 0, 600_000) },
                _ => fault,
            };
        }

        return fault;
    }

    private sealed record Fault(FaultKind Kind, FaultPhase Phase, int RetryAfterSeconds, int Milliseconds);
}
