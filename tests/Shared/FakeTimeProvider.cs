namespace Portfolio.Sdk.Testing;

/// <summary>
/// A clock that tests set and advance by hand (Microsoft.Extensions.TimeProvider.Testing is not available here).
/// Safe to read from other threads (a scheduler's, for one); timers and delays still run in real time.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            _now = value;
        }
    }
}
