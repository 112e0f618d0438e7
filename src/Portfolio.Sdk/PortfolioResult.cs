using System.Diagnostics.CodeAnalysis;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk;

/// <summary>
/// What an operation a caller must handle came to (操作結果): the value (the item as saved, the record as written), or
/// why it was refused, as PF diagnostics. A refusal changed nothing; warnings (e.g. a 簡述 that says nothing) may come
/// with a success. Used by the module service, the store and the submission service; infrastructure failures are
/// exceptions, never refusals (docs/error-model.md).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "The factories name the result type they make (PortfolioResult<CourseOutcome>.Refused(...)), as callers read it; T cannot be inferred from a refusal.")]
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

    /// <summary>A success, with the value and any warnings.</summary>
    /// <param name="value">The value.</param>
    /// <param name="warnings">Warnings that did not stop the outcome.</param>
    /// <returns>The result.</returns>
    public static PortfolioResult<T> Ok(T value, IReadOnlyList<Diagnostic>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, warnings ?? []);
    }

    /// <summary>A refusal, for one reason.</summary>
    /// <param name="problem">Why.</param>
    /// <returns>The result.</returns>
    public static PortfolioResult<T> Refused(Diagnostic problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(null, [problem]);
    }

    /// <summary>A refusal, for every reason found.</summary>
    /// <param name="problems">Why; at least one.</param>
    /// <returns>The result.</returns>
    public static PortfolioResult<T> Refused(IReadOnlyList<Diagnostic> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        return new(null, problems);
    }
}
