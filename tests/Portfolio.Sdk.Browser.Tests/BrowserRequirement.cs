namespace Portfolio.Sdk.Browser.Tests;

/// <summary>
/// Where Chromium is: <c>PORTFOLIO_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>. In CI (<c>CI=true</c>) a missing
/// browser fails the run; elsewhere the browser tests are skipped with a message saying how to install it.
/// </summary>
public static class BrowserRequirement
{
    /// <summary>The variable naming another Chromium executable.</summary>
    public const string Variable = "PORTFOLIO_CHROMIUM";

    /// <summary>Gets the executable the tests launch.</summary>
    public static string Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Gets whether the executable exists.</summary>
    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>The message when it does not.</summary>
    public static string Missing => $"Chromium was not found at {Executable}: install it with `apt-get install -y chromium fonts-noto-cjk` (or set {Variable}); Playwright's own browser download cannot work here.";

    /// <summary>Fails (CI) or skips (elsewhere) the calling test when Chromium is missing.</summary>
    /// <param name="isInstalled">Whether it is installed (a parameter so that the CI rule is itself testable).</param>
    /// <param name="ci">The <c>CI</c> variable's value.</param>
    public static void Require(bool isInstalled, string? ci)
    {
        if (isInstalled)
        {
            return;
        }

        if (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("In CI the browser tests must run. " + Missing);
        }

        Assert.Skip(Missing);
    }

    /// <summary>Fails (CI) or skips (elsewhere) the calling test when Chromium is missing.</summary>
    public static void Require() => Require(IsInstalled, Environment.GetEnvironmentVariable("CI"));
}
