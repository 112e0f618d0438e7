using Portfolio.Sdk.Submission;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// The outbox keeps the rosters as submitted, 身分證號 and all: on Unix only their owner may read them (found by a
/// newcomer's trial, where the stored workbooks were world-readable).
/// </summary>
public sealed class OutboxPermissionTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task StoredRosters_AreReadableByTheirOwnerOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var folder = Path.Combine(Path.GetTempPath(), $"outbox-mode-{Guid.NewGuid():N}", "outbox");
        try
        {
            var outbox = new SubmissionOutbox(folder);
            using var content = new MemoryStream("A123456789 a roster"u8.ToArray());
            var (sha, _, _) = await outbox.StoreAsync(content, TestContext.Current.CancellationToken);

            File.GetUnixFileMode(folder).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var stored = Directory.EnumerateFiles(folder).ShouldHaveSingleItem();
            Path.GetFileName(stored).ShouldStartWith(sha);
            File.GetUnixFileMode(stored).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
