using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk;

/// <summary>
/// The base of the SDK's exceptions (學習歷程 SDK 例外): raised for failures of infrastructure (a database, a
/// gateway), never for bad data, which is reported as <see cref="Diagnostics.Diagnostic"/>s instead. Caller mistakes
/// raise the usual BCL exceptions.
/// </summary>
public class PortfolioException : Exception
{
    /// <summary>Initializes an exception.</summary>
    public PortfolioException()
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message; never include unmasked personal data.</param>
    public PortfolioException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message; never include unmasked personal data.</param>
    /// <param name="innerException">The cause.</param>
    public PortfolioException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes an exception from a diagnostic.</summary>
    /// <param name="diagnostic">What went wrong, with its stable code and both messages.</param>
    /// <param name="innerException">The cause.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    public PortfolioException(Diagnostic diagnostic, Exception? innerException = null, bool isTransient = false)
        : base((diagnostic ?? throw new ArgumentNullException(nameof(diagnostic))).Code + " " + diagnostic.MessageEnglish, innerException)
    {
        Diagnostic = diagnostic;
        IsTransient = isTransient;
    }

    /// <summary>Gets the diagnostic behind the exception, when there is one.</summary>
    public Diagnostic? Diagnostic { get; }

    /// <summary>Gets a value indicating whether trying again later may succeed (a timeout, a dropped connection).</summary>
    public virtual bool IsTransient { get; }
}
