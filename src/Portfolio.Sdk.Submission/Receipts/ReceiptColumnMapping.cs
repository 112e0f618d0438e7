using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Submission.Receipts;

/// <summary>
/// How the columns of a 收訖明細 spreadsheet map to a roster sheet. The real receipt file's layout is not published
/// (research §3.10, [U]), so it is data: by default the receipt is assumed to use the roster's own headers
/// (<see cref="ForLayout"/>); a school whose files differ loads a mapping from JSON (<see cref="Load"/>).
/// </summary>
public sealed record ReceiptColumnMapping
{
    /// <summary>Gets the header of the 身分證號 column.</summary>
    public string StudentKeyHeader { get; init; } = "身分證號";

    /// <summary>Gets the mapping from receipt headers to roster column keys (e.g. <c>"學期成績" → "score"</c>).</summary>
    public required IReadOnlyDictionary<string, string> Columns { get; init; }

    /// <summary>A mapping that expects the roster's own headers.</summary>
    /// <param name="layout">The sheet layout.</param>
    /// <returns>The mapping.</returns>
    public static ReceiptColumnMapping ForLayout(RosterSheetLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new ReceiptColumnMapping { Columns = layout.Columns.Where(c => !c.IsPersonal).ToDictionary(c => c.Header, c => c.Key, StringComparer.Ordinal) };
    }

    /// <summary>Loads a mapping: <c>{ "studentKeyHeader": "身分證字號", "columns": { "成績": "score", … } }</c>.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="source">The file name, for diagnostics.</param>
    /// <returns>The mapping, or why it could not be read.</returns>
    public static ParseOutcome<ReceiptColumnMapping> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var dto = JsonSerializer.Deserialize<MappingFile>(json, Protocol.GatewayJson.Options);
            var diagnostics = (dto?.Extra?.Keys ?? Enumerable.Empty<string>()).Where(k => k is not "$schema" and not "$comment")
                .Select(key => DiagnosticCatalog.Create(DiagnosticCodes.ReceiptMappingUnknownKey, new DiagnosticLocation(Source: source, Path: key), key, "$"))
                .ToList();
            if (dto?.Columns is not { Count: > 0 })
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptValueInvalid, new DiagnosticLocation(Source: source, Path: "columns"), "columns", "空白", "empty"));
            }

            return diagnostics.Count > 0
                ? ParseOutcome.From<ReceiptColumnMapping>(null, diagnostics)
                : ParseOutcome.From<ReceiptColumnMapping>(new ReceiptColumnMapping { StudentKeyHeader = dto!.StudentKeyHeader ?? "身分證號", Columns = dto.Columns! }, []);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<ReceiptColumnMapping>(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptJson, new DiagnosticLocation(Source: source, Row: (int?)(ex.LineNumber + 1)), ex.Message));
        }
    }

    /// <summary>A receipt column mapping (收訖明細欄位對應) as a school writes it in JSON.</summary>
    internal sealed class MappingFile
    {
        /// <summary>The header of the receipt's 身分證號 column; <c>身分證號</c> when absent.</summary>
        [MinLength(1)]
        public string? StudentKeyHeader { get; set; }

        /// <summary>The roster column key each receipt header holds, by header (e.g. <c>"學期成績": "score"</c>); at least one.</summary>
        [Required]
        [MinLength(1)]
        public Dictionary<string, string>? Columns { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }
}
