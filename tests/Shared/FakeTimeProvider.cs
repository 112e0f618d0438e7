namespace Portfolio.Sdk.Testing;

/// <summary>A clock that tests set and advance by hand (Microsoft.Extensions.TimeProvider.Testing is not available here).</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void SetUtcNow(DateTimeOffset value) => _now = value;
}
