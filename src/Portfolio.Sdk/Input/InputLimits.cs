namespace Portfolio.Sdk.Input;

/// <summary>
/// The limits every reader of outside data applies (讀取上限): workbooks, upload packages, import files (xlsx, xls,
/// CSV) and receipt files. The defaults are far above what a school produces and well below what exhausts a
/// machine; a file that passes one is refused with a <c>PF1309</c> diagnostic (never an exception), before it is
/// inflated into memory.
/// </summary>
/// <remarks>
/// <para>
/// Memory bound: a zip entry is read through <see cref="System.IO.Compression.ZipArchive"/>, which stops inflating at
/// the size the entry declares, and declared sizes are checked against <see cref="MaxEntryBytes"/>,
/// <see cref="MaxTotalBytes"/> and <see cref="MaxCompressionRatio"/> before any entry is opened; rows are streamed.
/// A reader therefore holds at most one row (at most <see cref="MaxCellLength"/> characters a cell), the shared
/// strings of a workbook (at most <see cref="MaxEntryBytes"/> of XML) and <see cref="MaxDiagnostics"/>
/// diagnostics. A zip bomb is refused from its central directory, without inflating anything.
/// </para>
/// <para>Raise a limit by creating a copy: <c>InputLimits.Default with { MaxRows = 5_000_000 }</c>.</para>
/// </remarks>
public sealed record InputLimits
{
    /// <summary>The default of <see cref="MaxEntryBytes"/>: 512 MiB (a 學生成績 sheet of 200,000 rows is about 120 MiB).</summary>
    public const long DefaultMaxEntryBytes = 512L * 1024 * 1024;

    /// <summary>The default of <see cref="MaxTotalBytes"/>: 1 GiB.</summary>
    public const long DefaultMaxTotalBytes = 1024L * 1024 * 1024;

    /// <summary>The default of <see cref="MaxCompressionRatio"/>: 200 (workbook XML compresses 5 to 30 times).</summary>
    public const int DefaultMaxCompressionRatio = 200;

    /// <summary>The default of <see cref="MaxEntries"/>: 65,536 zip entries.</summary>
    public const int DefaultMaxEntries = 65_536;

    /// <summary>The default of <see cref="MaxCellLength"/>: 32,767 characters, Excel's own limit for a cell.</summary>
    public const int DefaultMaxCellLength = 32_767;

    /// <summary>The default of <see cref="MaxRows"/>: 1,048,576 rows a sheet or file, Excel's own limit.</summary>
    public const int DefaultMaxRows = 1_048_576;

    /// <summary>The default of <see cref="MaxDiagnostics"/>: 1,000 diagnostics kept with their locations.</summary>
    public const int DefaultMaxDiagnostics = 1_000;

    /// <summary>Entries smaller than this (1 MiB) are not held to <see cref="MaxCompressionRatio"/>: tiny XML parts compress well.</summary>
    public const long CompressionRatioFloorBytes = 1024L * 1024;

    /// <summary>Gets the default limits.</summary>
    public static InputLimits Default { get; } = new();

    /// <summary>Gets the largest uncompressed size of one zip entry.</summary>
    /// <value>Bytes; <see cref="DefaultMaxEntryBytes"/> by default.</value>
    public long MaxEntryBytes { get; init; } = DefaultMaxEntryBytes;

    /// <summary>Gets the largest uncompressed size of all entries of one zip together.</summary>
    /// <value>Bytes; <see cref="DefaultMaxTotalBytes"/> by default.</value>
    public long MaxTotalBytes { get; init; } = DefaultMaxTotalBytes;

    /// <summary>Gets the largest ratio of uncompressed to compressed size of an entry of at least <see cref="CompressionRatioFloorBytes"/>.</summary>
    /// <value><see cref="DefaultMaxCompressionRatio"/> by default.</value>
    public int MaxCompressionRatio { get; init; } = DefaultMaxCompressionRatio;

    /// <summary>Gets the largest number of entries in one zip (a workbook or an upload package).</summary>
    /// <value><see cref="DefaultMaxEntries"/> by default.</value>
    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>Gets the longest text of one cell or CSV field; a longer one is cut and reported.</summary>
    /// <value>Characters; <see cref="DefaultMaxCellLength"/> by default.</value>
    public int MaxCellLength { get; init; } = DefaultMaxCellLength;

    /// <summary>Gets the most rows read from one sheet or file; reading stops there with a diagnostic.</summary>
    /// <value><see cref="DefaultMaxRows"/> by default.</value>
    public int MaxRows { get; init; } = DefaultMaxRows;

    /// <summary>Gets how many diagnostics a reader keeps with their locations; beyond it, only a count per code is kept.</summary>
    /// <value><see cref="DefaultMaxDiagnostics"/> by default.</value>
    public int MaxDiagnostics { get; init; } = DefaultMaxDiagnostics;

    /// <summary>Checks that every limit is positive.</summary>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public InputLimits Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntryBytes, nameof(MaxEntryBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTotalBytes, nameof(MaxTotalBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCompressionRatio, nameof(MaxCompressionRatio));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntries, nameof(MaxEntries));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCellLength, nameof(MaxCellLength));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRows, nameof(MaxRows));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDiagnostics, nameof(MaxDiagnostics));
        return this;
    }
}
