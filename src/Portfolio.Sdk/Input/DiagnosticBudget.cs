using System.Globalization;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Input;

/// <summary>
/// Keeps a reader's diagnostics bounded (診斷數量上限): the first <see cref="InputLimits.MaxDiagnostics"/> are kept
/// with their locations; beyond that only a count per code is kept, reported at the end as one <c>PF1312</c> per code.
/// </summary>
public sealed class DiagnosticBudget
{
    private readonly SortedDictionary<string, int> _dropped = new(StringComparer.Ordinal);

    /// <summary>Initializes a budget.</summary>
    /// <param name="maxKept">How many diagnostics to keep with their locations.</param>
    public DiagnosticBudget(int maxKept)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxKept);
        MaxKept = maxKept;
    }

    /// <summary>Gets how many diagnostics are kept with their locations.</summary>
    public int MaxKept { get; }

    /// <summary>Gets how many diagnostics were counted but not kept.</summary>
    public int Dropped { get; private set; }

    /// <summary>Removes the diagnostics beyond <see cref="MaxKept"/> from <paramref name="diagnostics"/>, counting them by code.</summary>
    /// <param name="diagnostics">The list a reader fills.</param>
    public void Trim(List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (diagnostics.Count <= MaxKept)
        {
            return;
        }

        for (var i = MaxKept; i < diagnostics.Count; i++)
        {
            var code = diagnostics[i].Code;
            _dropped[code] = _dropped.GetValueOrDefault(code) + 1;
            Dropped++;
        }

        diagnostics.RemoveRange(MaxKept, diagnostics.Count - MaxKept);
    }

    /// <summary>Trims <paramref name="diagnostics"/>, then appends one <c>PF1312</c> per code that had diagnostics dropped.</summary>
    /// <param name="diagnostics">The list a reader filled.</param>
    /// <param name="location">Where the reader read (its source).</param>
    public void Complete(List<Diagnostic> diagnostics, DiagnosticLocation? location)
    {
        Trim(diagnostics);
        foreach (var (code, count) in _dropped)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.DiagnosticsTruncated, location, count.ToString(CultureInfo.InvariantCulture), code, MaxKept.ToString(CultureInfo.InvariantCulture)));
        }

        _dropped.Clear();
    }
}

/// <summary>The diagnostics readers of outside data report when a limit is reached.</summary>
public static class InputDiagnostics
{
    /// <summary>Creates a <c>PF1309</c>: <paramref name="actual"/> exceeds <paramref name="limit"/>.</summary>
    /// <param name="location">Where.</param>
    /// <param name="whatZh">What was measured, in Traditional Chinese (e.g. 欄位字數).</param>
    /// <param name="whatEn">What was measured, in English (e.g. characters of a field).</param>
    /// <param name="actual">The measured value (or the count at which reading stopped).</param>
    /// <param name="limit">The limit.</param>
    /// <returns>The diagnostic.</returns>
    public static Diagnostic LimitExceeded(DiagnosticLocation? location, string whatZh, string whatEn, long actual, long limit) =>
        DiagnosticCatalog.Create(DiagnosticCodes.InputLimitExceeded, location, whatZh, actual.ToString(CultureInfo.InvariantCulture), limit.ToString(CultureInfo.InvariantCulture), whatEn);
}
