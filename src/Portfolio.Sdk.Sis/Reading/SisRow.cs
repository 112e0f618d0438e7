using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Sis.Reading;

/// <summary>One source row read from the SIS: the mapped record, or why it could not be mapped.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class SisRow<T>
    where T : class
{
    internal SisRow(long sourceRow, T? record, IReadOnlyList<Diagnostic> diagnostics, string? studentNumber = null)
    {
        SourceRow = sourceRow;
        Record = record;
        Diagnostics = diagnostics;
        StudentNumber = studentNumber;
    }

    // The row's 學號 as read, kept also when the row failed, so that rows keyed by it can say why they are left out.
    internal string? StudentNumber { get; }

    /// <summary>Gets the 1-based position of the row in the query's result.</summary>
    public long SourceRow { get; }

    /// <summary>Gets the record, or <see langword="null"/> when the row could not be mapped.</summary>
    public T? Record { get; }

    /// <summary>Gets the problems found in the row (warnings may come with a record).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Gets whether the row was mapped.</summary>
    public bool IsMapped => Record is not null;
}
