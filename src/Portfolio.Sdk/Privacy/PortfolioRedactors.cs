using Microsoft.Extensions.Compliance.Redaction;

namespace Portfolio.Sdk.Privacy;

/// <summary>
/// The redactor of <see cref="PortfolioDataClassifications.NationalId"/>: the SDK's own identifier masking
/// (<see cref="Redaction.MaskIdentifier(string?)"/>, <c>A12****789</c>), so logs show what <c>ToString()</c> shows.
/// </summary>
public sealed class NationalIdRedactor : Redactor
{
    /// <inheritdoc />
    public override int GetRedactedLength(ReadOnlySpan<char> input) => input.Length;

    /// <inheritdoc />
    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var masked = Redaction.MaskIdentifier(source.ToString());
        masked.AsSpan().CopyTo(destination);
        return masked.Length;
    }
}

/// <summary>
/// The redactor of <see cref="PortfolioDataClassifications.PersonName"/>: the SDK's own name masking
/// (<see cref="Redaction.MaskName(string?)"/>, <c>王○明</c>).
/// </summary>
public sealed class PersonNameRedactor : Redactor
{
    /// <inheritdoc />
    public override int GetRedactedLength(ReadOnlySpan<char> input) => Redaction.MaskName(input.ToString()).Length;

    /// <inheritdoc />
    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var masked = Redaction.MaskName(source.ToString());
        masked.AsSpan().CopyTo(destination);
        return masked.Length;
    }
}
