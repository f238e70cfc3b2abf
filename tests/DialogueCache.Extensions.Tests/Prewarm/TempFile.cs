namespace Dialogue.Caching.Tests.Prewarm;

/// <summary>A real file under the temp folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    private TempFile(string path) => Path = path;

    public string Path { get; }

    public static TempFile Create(byte[] contents, string extension = ".json")
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dialoguecache-prewarm-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, contents);
        return new TempFile(path);
    }

    public static TempFile Create(string contents, string extension = ".json", bool byteOrderMark = false) =>
        Create(PrewarmText.Utf8(contents, byteOrderMark), extension);

    public FileStream OpenRead() =>
        new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Dispose() => File.Delete(Path);
}
