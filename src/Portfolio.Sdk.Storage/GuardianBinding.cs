using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Storage;

/// <summary>Where a guardian's binding to a student stands (親子綁定狀態).</summary>
public enum GuardianBindingState
{
    /// <summary>申請中: asked for, awaiting the 導師; the guardian sees nothing yet.</summary>
    Requested = 1,

    /// <summary>已綁定: approved by the student's 導師; the guardian reads the child's items, selections and receipts.</summary>
    Approved,

    /// <summary>已解除: revoked by the 導師 (or refused); the guardian sees nothing. It may be asked for again.</summary>
    Revoked,
}

/// <summary>
/// A guardian (家長: 法定代理人 or 監護人) bound to a student (親子綁定), as 臺北市's system does it (seed 003): the school or
/// the guardian's own account asks, the 導師 of the student's class approves or revokes, and every step is audited.
/// </summary>
public sealed record GuardianBinding
{
    /// <summary>Gets the binding's identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the guardian's user id in the vendor's system.</summary>
    public required string GuardianId { get; init; }

    /// <summary>Gets the student's key (身分證號).</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's class, whose 導師 decides.</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the state.</summary>
    public GuardianBindingState State { get; init; } = GuardianBindingState.Requested;

    /// <summary>Gets who asked for it (the school's staff or the guardian).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>Gets the 導師 who approved or revoked it last.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>Gets the version, for optimistic concurrency.</summary>
    public long Version { get; init; } = 1;

    /// <summary>Returns the binding with the guardian's id and the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"GuardianBinding {{ Id = {Id}, GuardianId = {Redaction.MaskIdentifier(GuardianId)}, StudentKey = {Redaction.MaskIdentifier(StudentKey)}, ClassName = {ClassName}, State = {State}, Version = {Version} }}";
}
