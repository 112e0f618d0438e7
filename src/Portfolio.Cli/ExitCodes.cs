namespace Portfolio.Cli;

/// <summary>The documented exit codes of the <c>portfolio</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Everything was valid.</summary>
    public const int Success = 0;

    /// <summary>Some input was read but is invalid (diagnostics of severity error).</summary>
    public const int Invalid = 1;

    /// <summary>Usage error, or an input that cannot be read at all.</summary>
    public const int UsageOrUnreadable = 2;

    /// <summary>Some submissions are still outstanding (the gateway could not be reached); run the command again to resend them with the same keys.</summary>
    public const int Outstanding = 3;
}
