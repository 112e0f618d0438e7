using System.Diagnostics;

namespace Portfolio.Sdk.Documents.Tests;

/// <summary>
/// poppler's pdftoppm, pdftotext and pdfinfo (Debian: <c>apt-get install poppler-utils</c>) and the CJK font (Debian:
/// <c>fonts-noto-cjk</c>). Missing in CI (<c>CI=true</c>) the test fails, saying what to install; on a laptop it is skipped.
/// </summary>
internal static class PdfTools
{
    public static string Require(string tool)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(folder, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        var message = $"{tool} is not installed: apt-get install -y poppler-utils fonts-noto-cjk (see .ci/run).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return string.Empty;
    }

    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Require(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0, $"{tool} failed: {await error}");
        return await output;
    }

    /// <summary>The share of pixels darker than light grey on the first page, rendered in grey at 50 dpi.</summary>
    public static async Task<double> InkRatioAsync(string pdf)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pdf)!, Path.GetFileNameWithoutExtension(pdf) + "-page");
        await RunAsync("pdftoppm", "-gray", "-r", "50", "-f", "1", "-l", "1", pdf, prefix);
        var file = Directory.GetFiles(Path.GetDirectoryName(pdf)!, Path.GetFileName(prefix) + "*.pgm").Single();
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);

        // P5 header: magic, width, height, max value, each followed by whitespace.
        var fields = new List<string>();
        var position = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            fields.Add(System.Text.Encoding.ASCII.GetString(bytes, start, position - start));
        }

        fields[0].ShouldBe("P5");
        var pixels = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        var dark = 0;
        foreach (var value in bytes.AsSpan(position + 1, pixels))
        {
            dark += value < 200 ? 1 : 0;
        }

        return dark / (double)pixels;
    }
}
