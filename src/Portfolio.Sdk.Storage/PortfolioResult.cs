using System.Diagnostics.CodeAnalysis;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// What one activity of <see cref="PortfolioModule"/> came to (操作結果): the item as saved, or why it was refused. A
/// refusal changed nothing; warnings (e.g. a 簡述 that says nothing) may come with a success.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class PortfolioResult<T>
    where T : class
{
    private PortfolioResult(T? value, IReadOnlyList<Diagnostic> diagnostics)
    {
        Value = value;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets the item as saved, when the activity succeeded.</summary>
    public T? Value { get; }

    /// <summary>Gets every diagnostic: the reasons of a refusal (errors), or warnings with a success.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Gets whether the activity succeeded (and <see cref="Value"/> is set).</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null;

    /// <summary>Gets the first reason of a refusal, or <see langword="null"/> after a success.</summary>
    public Diagnostic? Problem => Succeeded ? null : Diagnostics.FirstOrDefault(d => d.IsError) ?? (Diagnostics.Count > 0 ? Diagnostics[0] : null);

    /// <summary>Returns the outcome and its diagnostic codes; no content and no personal data.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        (Succeeded ? "Succeeded" : "Refused") + (Diagnostics.Count == 0 ? string.Empty : " [" + string.Join(", ", Diagnostics.Select(d => d.Code)) + "]");

    internal static PortfolioResult<T> Ok(T value, IReadOnlyList<Diagnostic>? warnings = null) => new(value, warnings ?? []);

    internal static PortfolioResult<T> Refused(Diagnostic problem) => new(null, [problem]);

    internal static PortfolioResult<T> Refused(IReadOnlyList<Diagnostic> problems) => new(null, problems);
}
