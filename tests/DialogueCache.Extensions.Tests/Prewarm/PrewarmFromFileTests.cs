using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Prewarm;

/// <summary>The cache's side of prewarming: loader choice, staging, commit, and errors that name the file.</summary>
public sealed class PrewarmFromFileTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly DialogueCache _cache;

    public PrewarmFromFileTests()
    {
        _cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 3, Ttl = TimeSpan.FromMinutes(10) }, _time);
        _cache.Set("kept", "before");
    }

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task PrewarmFromFileAsync_JsonObject_StoresEntriesAndReturnsCount()
    {
        using var file = TempFile.Create("""{"a": "1", "b": "2"}""");

        Assert.Equal(2, await _cache.PrewarmFromFileAsync(file.Path));

        Assert.Equal("1", _cache.Get("a"));
        Assert.Equal("2", _cache.Get("b"));
        Assert.Equal("before", _cache.Get("kept"));
    }

    [Fact]
    public async Task PrewarmFromFileAsync_JsonLines_HonoursTtlSeconds()
    {
        using var file = TempFile.Create("""
            {"key": "short", "value": "s", "ttlSeconds": 5}
            {"key": "default", "value": "d"}
            """, ".jsonl");

        Assert.Equal(2, await _cache.PrewarmFromFileAsync(file.Path));
        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Null(_cache.Get("short"));
        Assert.Equal("d", _cache.Get("default"));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(_cache.Get("default"));
    }

    [Fact]
    public async Task PrewarmFromFileAsync_MoreKeysThanMaxSize_KeepsLastMaxSizeDistinctKeys()
    {
        using var file = TempFile.Create("""{"a": "1", "b": "2", "c": "3", "d": "4", "b": "2b"}""");

        Assert.Equal(3, await _cache.PrewarmFromFileAsync(file.Path));

        Assert.Null(_cache.Get("a"));
        Assert.Null(_cache.Get("kept"));
        Assert.Equal("3", _cache.Get("c"));
        Assert.Equal("4", _cache.Get("d"));
        Assert.Equal("2b", _cache.Get("b"));
    }

    [Theory]
    [InlineData(".json")]
    [InlineData(".jsonl")]
    public async Task PrewarmFromFileAsync_TenTimesMaxSizeEntries_StageNeverHoldsMoreThanMaxSize(string extension)
    {
        const int maxSize = 500;
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = maxSize }, _time);
        var lines = Enumerable.Range(0, 10 * maxSize).Select(i => extension == ".json"
            ? $"\"k{i}\": \"v{i}\""
            : $$"""{"key": "k{{i}}", "value": "v{{i}}"}""");
        using var file = TempFile.Create(extension == ".json" ? "{" + string.Join(",\n", lines) + "}" : string.Join('\n', lines), extension);

        Assert.Equal(maxSize, await cache.PrewarmFromFileAsync(file.Path));

        var (count, slots) = cache.LastPrewarmStagePeak;
        Assert.Equal(maxSize, count);
        Assert.InRange(slots, maxSize, (2 * maxSize) + Caching.Prewarm.PrewarmStage.CompactionSlack + 1);
        Assert.Equal(maxSize, cache.Count);
        Assert.Equal($"v{(10 * maxSize) - 1}", cache.Get($"k{(10 * maxSize) - 1}"));
        Assert.Null(cache.Get($"k{(9 * maxSize) - 1}"));
    }

    [Fact]
    public async Task PrewarmFromFileAsync_MalformedJson_NamesFileLineAndPositionAndStoresNothing()
    {
        using var file = TempFile.Create("{\n  \"a\": \"1\",\n  \"b\": tru\n}");

        var error = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => _cache.PrewarmFromFileAsync(file.Path));

        Assert.Equal(file.Path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.True(error.Position > 0);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        AssertOnlyKeptEntry();
    }

    [Fact]
    public async Task PrewarmFromFileAsync_NonStringValue_NamesFileAndLineAndStoresNothing()
    {
        using var file = TempFile.Create("{\n  \"a\": \"1\",\n  \"b\": null\n}");

        var error = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => _cache.PrewarmFromFileAsync(file.Path));

        Assert.Equal(file.Path, error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Equal(8, error.Position);
        AssertOnlyKeptEntry();
    }

    [Theory]
    [InlineData("{\n  \"npc:smith|forge|t:my secret password is swordfish\": null\n}", ".json", 2, 56)]
    [InlineData("{\"key\": \"a\", \"value\": \"1\"}\n{\"key\": \"npc:smith|forge|t:my secret\", \"value\": 7}", ".jsonl", 2, 49)]
    public async Task PrewarmFromFileAsync_BadValue_ErrorAndLogsNameThePlaceButNeitherKeyNorValue(string text, string extension, long line, long position)
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var cache = new DialogueCache(Options.Create(new DialogueCacheOptions()), _time, loggerFactory);
        using var file = TempFile.Create(text, extension);

        var error = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() => cache.PrewarmFromFileAsync(file.Path));

        Assert.Equal((line, position), (error.LineNumber, error.Position));
        Assert.Contains($"'{file.Path}', line {line}, position {position}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
        var failed = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains(file.Path, failed.Message, StringComparison.Ordinal);
        Assert.Same(error, failed.Exception);
        Assert.All(logs.Collector.GetSnapshot(), r =>
            Assert.DoesNotContain("secret", r.Message + r.Exception, StringComparison.Ordinal));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task PrewarmFromFileAsync_LoaderThrowsMidway_WrapsNamingFileAndStoresNothing()
    {
        using var file = TempFile.Create("ignored");

        var error = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() =>
            _cache.PrewarmFromFileAsync(file.Path, new FailingLoader()));

        Assert.Equal(file.Path, error.FilePath);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Contains(nameof(FailingLoader), error.Message, StringComparison.Ordinal);
        Assert.Contains("after 2 entries", error.Message, StringComparison.Ordinal);
        AssertOnlyKeptEntry();
    }

    [Fact]
    public async Task PrewarmFromFileAsync_CustomLoaderYieldsEmptyKey_RefusesNamingEntry()
    {
        using var file = TempFile.Create("ignored");

        var error = await Assert.ThrowsAsync<DialogueCachePrewarmException>(() =>
            _cache.PrewarmFromFileAsync(file.Path, new EmptyKeyLoader()));

        Assert.Contains("entry 2 has a null or empty key", error.Message, StringComparison.Ordinal);
        AssertOnlyKeptEntry();
    }

    [Fact]
    public async Task PrewarmFromFileAsync_Cancelled_ThrowsAndStoresNothing()
    {
        using var file = TempFile.Create("""{"a": "1"}""");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _cache.PrewarmFromFileAsync(file.Path, cancellationToken: cancelled.Token));

        AssertOnlyKeptEntry();
    }

    [Fact]
    public async Task ExportHotKeysAsync_WritesTopCachedKeysAsPrewarmFile()
    {
        _cache.Set("hot", "H");
        _cache.Set("warm", "W");
        for (var i = 0; i < 3; i++)
        {
            _cache.Get("hot");
        }

        _cache.Get("warm");
        _cache.Get("missing");
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(2, await _cache.ExportHotKeysAsync(path, count: 10));
            using var fresh = new DialogueCache();

            Assert.Equal(2, await fresh.PrewarmFromFileAsync(path));
            Assert.Equal("H", fresh.Get("hot"));
            Assert.Equal("W", fresh.Get("warm"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ExportHotKeysAsync_BadArguments_ThrowNamingThem()
    {
        Assert.Equal("destination", (await Assert.ThrowsAsync<ArgumentNullException>(() => _cache.ExportHotKeysAsync((Stream)null!))).ParamName);
        Assert.Equal("count", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _cache.ExportHotKeysAsync(Stream.Null, 0))).ParamName);
        Assert.Equal("path", (await Assert.ThrowsAnyAsync<ArgumentException>(() => _cache.ExportHotKeysAsync(""))).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_537)]
    public async Task ExportHotKeysAsync_CountOutOfRange_ThrowsNamingCountAndWritesNoFile(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.json");

        var toStream = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _cache.ExportHotKeysAsync(Stream.Null, count));
        var toFile = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _cache.ExportHotKeysAsync(path, count));

        Assert.Equal(("count", "count"), (toStream.ParamName, toFile.ParamName));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task ExportHotKeysAsync_StreamNotWritable_ThrowsNamingDestination()
    {
        using var readOnly = new MemoryStream([], writable: false);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _cache.ExportHotKeysAsync(readOnly));

        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public async Task ExportHotKeysAsync_AtTheDocumentedLimit_Works()
    {
        using var stream = new MemoryStream();
        _cache.Get("kept");

        Assert.Equal(1, await _cache.ExportHotKeysAsync(stream, 65_536));
    }

    private void AssertOnlyKeptEntry()
    {
        Assert.Equal(1, _cache.Count);
        Assert.Equal("before", _cache.Get("kept"));
    }

    private sealed class FailingLoader : IDialogueCacheLoader
    {
        public async IAsyncEnumerable<KeyValuePair<string, string>> LoadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new("x", "1");
            yield return new("y", "2");
            await Task.Yield();
            throw new IOException("disk went away");
        }
    }

    private sealed class EmptyKeyLoader : IDialogueCacheLoader
    {
        public async IAsyncEnumerable<KeyValuePair<string, string>> LoadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return new("x", "1");
            yield return new("", "2");
        }
    }
}
