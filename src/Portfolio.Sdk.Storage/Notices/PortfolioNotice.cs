using System.Globalization;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Notices;

/// <summary>What a notice is about (通知種類).</summary>
public enum NoticeKind
{
    /// <summary>尚未上傳: a student has uploaded nothing this school year and the upload window closes soon.</summary>
    NothingUploaded = 1,

    /// <summary>尚未勾選: a student has selected nothing for the year and the selection window closes soon.</summary>
    NothingSelected,

    /// <summary>待認證: a teacher has course outcomes awaiting certification and the certification window closes soon.</summary>
    PendingCertifications,

    /// <summary>確認期間開始: the receipt (收訖明細) arrived and the students' confirmation window is open.</summary>
    ConfirmationWindowOpened,

    /// <summary>確認期間即將截止: the confirmation window closes soon and the student has not answered.</summary>
    ConfirmationWindowClosing,

    /// <summary>認證不通過: a teacher rejected a student's course outcome, with the reason.</summary>
    CertificationRejected,
}

/// <summary>Who a notice is for (收件人): a role and the user's key in the vendor's system (the student key for a student).</summary>
/// <param name="Role">The recipient's role.</param>
/// <param name="UserKey">The teacher's user id, or the student's key.</param>
public readonly record struct NoticeRecipient(PortfolioRole Role, string UserKey)
{
    /// <summary>Returns the recipient with the key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Role} {Redaction.MaskIdentifier(UserKey)}";
}

/// <summary>
/// A targeted notice (通知) as data, for the host to deliver (e-mail, app, the portal's inbox) through its
/// <see cref="INoticeDelivery"/>. The text is in Traditional Chinese and English and never carries an unmasked 身分證號 or
/// name. The same notice (<see cref="Kind"/>, <see cref="Recipient"/>, <see cref="EventKey"/>) is raised once.
/// </summary>
public sealed record PortfolioNotice
{
    /// <summary>Gets what the notice is about.</summary>
    public required NoticeKind Kind { get; init; }

    /// <summary>Gets who it is for.</summary>
    public required NoticeRecipient Recipient { get; init; }

    /// <summary>Gets the event it is about, stable across runs and nodes (e.g. <c>060322/upload/113-1/all/2025-01-10</c>).</summary>
    public required string EventKey { get; init; }

    /// <summary>Gets the student it is about, when there is one.</summary>
    public string? StudentKey { get; init; }

    /// <summary>Gets the item it is about (the rejected course outcome), when there is one, for the host to link to.</summary>
    public Guid? ItemId { get; init; }

    /// <summary>Gets the school's window it is about (上傳、勾選、認證), when there is one.</summary>
    public PolicyWindow? Window { get; init; }

    /// <summary>Gets the PF code of the text (<c>PF3510</c>…<c>PF3515</c>), for hosts that keep their own templates.</summary>
    public required string Code { get; init; }

    /// <summary>Gets the text in Traditional Chinese.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the text in English.</summary>
    public required string MessageEnglish { get; init; }

    /// <summary>Gets the key the notice is raised once under: kind, recipient role and key, event. A host that delivers
    /// at least once (a node dying between delivering and recording it) may use it to drop a repeat.</summary>
    public string DedupeKey => string.Create(CultureInfo.InvariantCulture, $"{(int)Kind}|{(int)Recipient.Role}|{Recipient.UserKey}|{EventKey}");

    /// <summary>Creates a notice with its text from the diagnostic catalogue (both languages, values masked).</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="recipient">The recipient.</param>
    /// <param name="eventKey">The event.</param>
    /// <param name="code">The PF code of the text.</param>
    /// <param name="arguments">The text's values.</param>
    /// <returns>The notice.</returns>
    internal static PortfolioNotice Create(NoticeKind kind, NoticeRecipient recipient, string eventKey, string code, params object?[] arguments)
    {
        var text = DiagnosticCatalog.Create(code, null, arguments);
        return new PortfolioNotice { Kind = kind, Recipient = recipient, EventKey = eventKey, Code = code, Message = text.Message, MessageEnglish = text.MessageEnglish };
    }

    /// <summary>Returns the notice with the recipient and student masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Code} {Kind} to {Recipient} ({EventKey.Replace(Recipient.UserKey, Redaction.MaskIdentifier(Recipient.UserKey), StringComparison.Ordinal)}): {MessageEnglish}";
}

/// <summary>Delivers notices (e-mail, app notification, the portal's inbox): the vendor implements it.</summary>
public interface INoticeDelivery
{
    /// <summary>
    /// Delivers one notice. Throwing leaves it unsent: the next run delivers it again. Returning records it as sent:
    /// it is never raised again.
    /// </summary>
    /// <param name="notice">The notice.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task DeliverAsync(PortfolioNotice notice, CancellationToken cancellationToken);
}

/// <summary>
/// The account of one run of notices (通知結果): every notice planned is delivered now, was sent before, is being
/// delivered by another node, or failed (each failure with its <c>PF3502</c> diagnostic, retried next run).
/// </summary>
/// <param name="Planned">Notices planned.</param>
/// <param name="Delivered">Delivered now and recorded as sent.</param>
/// <param name="AlreadySent">Sent by an earlier run or another node.</param>
/// <param name="HeldElsewhere">Claimed by another node that is delivering it now.</param>
/// <param name="Diagnostics">One <c>PF3502</c> per failed delivery.</param>
public sealed record NoticeRun(int Planned, int Delivered, int AlreadySent, int HeldElsewhere, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets the deliveries that failed (to be retried).</summary>
    public int Failed => Diagnostics.Count;
}
