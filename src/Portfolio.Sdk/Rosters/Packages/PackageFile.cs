using System.Text.Json.Serialization;

namespace Portfolio.Sdk.Rosters.Packages;

/// <summary>One file of an upload package as listed in its manifest: where it is, what it is and its hashes.</summary>
/// <param name="Path">The path inside the package, e.g. <c>files/3a7b….pdf</c> (named by SHA-256).</param>
/// <param name="Type">The content type extension: <c>pdf</c>, <c>jpg</c>, <c>png</c>, <c>mp3</c>, <c>mp4</c> or <c>xlsx</c>.</param>
/// <param name="Length">The size in bytes.</param>
/// <param name="Md5">The MD5 digest, lower-case hex, as the central database's rows carry it.</param>
/// <param name="Sha256">The SHA-256 digest, lower-case hex.</param>
public sealed record PackageFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("length")] long Length,
    [property: JsonPropertyName("md5")] string Md5,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>The manifest (<c>manifest.json</c>) of an upload package (上傳包清單).</summary>
public sealed record RosterPackageManifest
{
    /// <summary>The current manifest format.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The entry name of the manifest inside the package.</summary>
    public const string EntryName = "manifest.json";

    /// <summary>Gets the manifest format version.</summary>
    [JsonPropertyName("formatVersion")]
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Gets the roster book identifier.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [JsonPropertyName("book")]
    public required string Book { get; init; }

    /// <summary>Gets the school code of the cover.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [JsonPropertyName("schoolCode")]
    public required string SchoolCode { get; init; }

    /// <summary>Gets the school year of the cover.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [JsonPropertyName("schoolYear")]
    public required int SchoolYear { get; init; }

    /// <summary>Gets the term of the cover (0 for the per-year books).</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [JsonPropertyName("term")]
    public required int Term { get; init; }

    /// <summary>Gets the roster workbook.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [JsonPropertyName("workbook")]
    public required PackageFile Workbook { get; init; }

    /// <summary>Gets the evidence files, in the order added.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [JsonPropertyName("files")]
    public required IReadOnlyList<PackageFile> Files { get; init; }
}
