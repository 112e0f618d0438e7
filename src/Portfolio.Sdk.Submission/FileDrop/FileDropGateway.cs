using System.Globalization;
using System.Text;
using System.Text.Json;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.FileDrop;

/// <summary>
/// A gateway for schools that upload through the central database's portal by hand (the usual way today): each
/// submission is written, with a short instruction file (上傳說明), to <c>&lt;folder&gt;/&lt;school&gt;/&lt;year&gt;-&lt;term&gt;/</c>,
/// and stays <see cref="Ledger.SubmissionState.Sent"/> until its receipt arrives. Receipts the school downloads are
/// put, as JSON in the gateway protocol's receipt format, in <c>&lt;folder&gt;/receipts/</c>, or imported from their
/// spreadsheet form with <see cref="Receipts.ReceiptImporter"/>.
/// </summary>
public sealed class FileDropGateway : ICentralGateway
{
    /// <summary>The sub-folder read for receipt files.</summary>
    public const string ReceiptsFolder = "receipts";

    /// <summary>Initializes a file drop in <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder (created when needed).</param>
    public FileDropGateway(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>Gets the folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the file name a submission is dropped under (its idempotency key keeps two revisions apart).</summary>
    /// <param name="metadata">The submission.</param>
    /// <returns>The file name.</returns>
    public static string FileNameOf(SubmissionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var extension = metadata.ContentKind == SubmissionContentKind.Package ? "zip" : "xlsx";
        return string.Create(CultureInfo.InvariantCulture, $"{metadata.Book}-r{metadata.Revision}-{metadata.IdempotencyKey}.{extension}");
    }

    /// <inheritdoc />
    public async Task<GatewayDelivery> SubmitAsync(SubmissionMetadata metadata, Func<Stream> openContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(openContent);
        var folder = Directory.CreateDirectory(Path.Combine(Folder, metadata.SchoolCode, string.Create(CultureInfo.InvariantCulture, $"{metadata.SchoolYear}-{metadata.Term}"))).FullName;
        var target = Path.Combine(folder, FileNameOf(metadata));
        if (!File.Exists(target))
        {
            var temporary = target + ".partial";
            var source = openContent();
            await using (source.ConfigureAwait(false))
            {
                var file = File.Create(temporary);
                await using (file.ConfigureAwait(false))
                {
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temporary, target, overwrite: true);
        }

        await File.WriteAllTextAsync(Path.ChangeExtension(target, ".上傳說明.txt"), Instructions(metadata, Path.GetFileName(target)), new UTF8Encoding(true), cancellationToken).ConfigureAwait(false);
        return new GatewayDelivery(null, DroppedAt: folder);
    }

    /// <inheritdoc />
    public Task<SubmissionStatus?> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken = default) => Task.FromResult<SubmissionStatus?>(null);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReceiptSummary>> ListReceiptsAsync(string schoolCode, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var result = new List<ReceiptSummary>();
        await foreach (var receipt in ReadReceiptsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (receipt.SchoolCode == schoolCode && (since is null || receipt.IssuedAt >= since))
            {
                result.Add(new ReceiptSummary
                {
                    ReceiptId = receipt.ReceiptId, IdempotencyKey = receipt.IdempotencyKey, SubmissionId = receipt.SubmissionId, SchoolCode = receipt.SchoolCode,
                    Book = receipt.Book, SchoolYear = receipt.SchoolYear, Term = receipt.Term, IssuedAt = receipt.IssuedAt, RowCount = receipt.RowCount,
                });
            }
        }

        return [.. result.OrderBy(r => r.IssuedAt)];
    }

    /// <inheritdoc />
    public async Task<Receipt?> GetReceiptAsync(string receiptId, CancellationToken cancellationToken = default)
    {
        await foreach (var receipt in ReadReceiptsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (receipt.ReceiptId == receiptId)
            {
                return receipt;
            }
        }

        return null;
    }

    private async IAsyncEnumerable<Receipt> ReadReceiptsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Folder, ReceiptsFolder);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var outcome = await Receipts.ReceiptImporter.ReadJsonAsync(stream, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
                if (outcome.Success)
                {
                    yield return outcome.Value!;
                }
            }
        }
    }

    private static string Instructions(SubmissionMetadata m, string fileName) => string.Create(CultureInfo.InvariantCulture, $"""
        學習歷程中央資料庫 上傳說明 / Upload instructions
        ================================================
        學校代碼 School: {m.SchoolCode}
        學年度-學期 Year-term: {m.SchoolYear}-{m.Term}
        名冊 Book: {m.Book}（第 {m.Revision} 版 revision {m.Revision}{(m.Corrects is null ? string.Empty : $"，更正 corrects {m.Corrects}")}）
        檔案 File: {fileName}
        SHA-256: {m.Sha256}
        大小 Size: {m.Length} bytes

        1. 以學校帳號登入學習歷程中央資料庫的上傳平臺。 Sign in to the central database's upload portal with the school account.
        2. 選擇上述學年度、學期與名冊，上傳此檔案（請勿更改檔案內容）。 Pick the year, term and book above and upload this file unchanged.
        3. 下載收訖明細後，放入 {ReceiptsFolder}/ 資料夾或以 `portfolio receipts import` 匯入。 When the receipt is available, put it in {ReceiptsFolder}/ or import it with `portfolio receipts import`.
        冪等鍵 Idempotency key: {m.IdempotencyKey}
        """);
}
