using System.Security.Cryptography;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;

namespace Portfolio.Sdk.Tests.Files;

public sealed class ContentStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"store-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MemoryStream Bytes(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Put_NamesTheFileBySha256_AndKeepsTheMd5()
    {
        var store = new FileSystemContentStore(_root);
        var bytes = "%PDF-1.7 報告"u8.ToArray();

        var stored = await store.PutAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);

        stored.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
#pragma warning disable CA5351 // MD5 is the digest the central database's rows carry; it is not used for security here.
        stored.Md5.ShouldBe(Convert.ToHexStringLower(MD5.HashData(bytes)));
#pragma warning restore CA5351
        stored.Length.ShouldBe(bytes.Length);
        stored.AlreadyStored.ShouldBeFalse();
        File.Exists(Path.Combine(_root, stored.Sha256[..2], stored.Sha256[2..4], stored.Sha256)).ShouldBeTrue();
    }

    [Fact]
    public async Task ReUpload_OfTheSameContent_IsRecognisedAndStoredOnce()
    {
        var store = new FileSystemContentStore(_root);

        var first = await store.PutAsync(Bytes("same"), TestContext.Current.CancellationToken);
        var again = await store.PutAsync(Bytes("same"), TestContext.Current.CancellationToken);

        again.ShouldBe(first with { AlreadyStored = true });
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length.ShouldBe(1);
        store.Contains(first.Sha256).ShouldBeTrue();
    }

    [Fact]
    public async Task ConcurrentUploadsOfTheSameContent_StoreItOnce()
    {
        var store = new FileSystemContentStore(_root);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.PutAsync(Bytes(new string('x', 200_000)), TestContext.Current.CancellationToken)));

        results.Select(r => r.Sha256).Distinct().Count().ShouldBe(1);
        results.Count(r => !r.AlreadyStored).ShouldBe(1);
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Read_VerifiesTheContent()
    {
        var store = new FileSystemContentStore(_root);
        var stored = await store.PutAsync(Bytes("original"), TestContext.Current.CancellationToken);

        await using (var stream = await store.OpenVerifiedAsync(stored.Sha256, TestContext.Current.CancellationToken))
        {
            new StreamReader(stream).ReadToEnd().ShouldBe("original");
        }

        await File.WriteAllTextAsync(Path.Combine(_root, stored.Sha256[..2], stored.Sha256[2..4], stored.Sha256), "tampered", TestContext.Current.CancellationToken);
        var corrupted = await Should.ThrowAsync<PortfolioException>(() => store.OpenVerifiedAsync(stored.Sha256, TestContext.Current.CancellationToken));
        corrupted.Diagnostic!.Code.ShouldBe(DiagnosticCodes.StoredFileCorrupted);

        var missing = await Should.ThrowAsync<PortfolioException>(() => store.OpenVerifiedAsync(new string('a', 64), TestContext.Current.CancellationToken));
        missing.Diagnostic!.Code.ShouldBe(DiagnosticCodes.StoredFileMissing);
        await Should.ThrowAsync<ArgumentException>(() => store.OpenVerifiedAsync("../../etc/passwd", TestContext.Current.CancellationToken));
    }
}
