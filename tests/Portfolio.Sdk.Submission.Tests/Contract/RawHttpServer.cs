using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portfolio.Sdk.Submission.Tests.Contract;

/// <summary>
/// A loopback HTTP/1.1 server on raw sockets, for what no mock server will do: a body cut short of its
/// <c>Content-Length</c>, or a body that trickles. Each connection gets the next script in turn (the last repeats);
/// the request head of every connection is kept.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<NetworkStream, CancellationToken, Task>[] _scripts;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _heads = new();
    private readonly Task _loop;
    private int _connections;

    public RawHttpServer(params Func<NetworkStream, CancellationToken, Task>[] scripts)
    {
        _scripts = scripts;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the request heads received (request line and headers).</summary>
    public IReadOnlyList<string> Heads => [.. _heads];

    /// <summary>Writes a whole response head and as much of the body as given.</summary>
    public static async Task WriteAsync(NetworkStream stream, int status, string body, int? declaredLength = null, CancellationToken cancellationToken = default)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {declaredLength ?? bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var script = _scripts[Math.Min(Interlocked.Increment(ref _connections) - 1, _scripts.Length - 1)];
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    try
                    {
                        _heads.Enqueue(await ReadRequestAsync(stream, _stop.Token));
                        await script(stream, _stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
                    {
                        // the client gave up on this connection (an attempt timeout): that is the point
                    }
                }
            });
        }
    }

    private static async Task<string> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        // Read the head, then the body by Content-Length (or chunk by chunk until the terminating chunk).
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWith(buffer, "\r\n\r\n"u8))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                break;
            }

            buffer.Add(one[0]);
        }

        var head = Encoding.ASCII.GetString([.. buffer]);
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is not null)
        {
            var remaining = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var body = new byte[8192];
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(body.AsMemory(0, Math.Min(body.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                remaining -= read;
            }
        }
        else if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var tail = new List<byte>();
            while (!EndsWith(tail, "\r\n0\r\n\r\n"u8) && await stream.ReadAsync(one, cancellationToken) > 0)
            {
                tail.Add(one[0]);
            }
        }

        return head;
    }

    private static bool EndsWith(List<byte> bytes, ReadOnlySpan<byte> suffix)
    {
        if (bytes.Count < suffix.Length)
        {
            return false;
        }

        for (var i = 0; i < suffix.Length; i++)
        {
            if (bytes[bytes.Count - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }
}
