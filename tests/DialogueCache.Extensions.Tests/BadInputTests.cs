using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dialogue.Caching.Tests;

/// <summary>Every public entry point refuses bad input with an exception that names it, and keeps what it held.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly DialogueCache _cache = new();

    public BadInputTests()
    {
        _cache.Set("kept", "value");
    }

    public void Dispose() => _cache.Dispose();

    public static TheoryData<string?> BadKeys => new() { null, "" };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Get_BadKey_ThrowsNamingKeyAndCountsNothing(string? key)
    {
        AssertKeyRefused(() => _cache.Get(key!));
        AssertKeyRefused(() => _cache.TryGet(key!, out _));
        AssertUnchanged();
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Set_BadKey_ThrowsNamingKey(string? key)
    {
        AssertKeyRefused(() => _cache.Set(key!, "v"));
        AssertUnchanged();
    }

    [Fact]
    public void Set_NullValue_ThrowsNamingValue()
    {
        var error = Assert.Throws<ArgumentNullException>(() => _cache.Set("kept", null!));
        Assert.Equal("value", error.ParamName);
        AssertUnchanged();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Set_NonPositiveTtl_ThrowsNamingTtl(int seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _cache.Set("kept", "other", TimeSpan.FromSeconds(seconds)));
        Assert.Equal("ttl", error.ParamName);
        AssertUnchanged();
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task GetOrCreateAsync_BadKey_ThrowsNamingKey(string? key)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
            await _cache.GetOrCreateAsync(key!, (_, _) => ValueTask.FromResult("v")));
        Assert.Equal("key", error.ParamName);
        AssertUnchanged();
    }

    [Fact]
    public async Task GetOrCreateAsync_NullFactory_ThrowsNamingFactory()
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(async () => await _cache.GetOrCreateAsync("k", null!));
        Assert.Equal("factory", error.ParamName);
        AssertUnchanged();
    }

    [Fact]
    public async Task GetOrCreateAsync_NonPositiveTtl_ThrowsNamingTtl()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await _cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("v"), TimeSpan.Zero));
        Assert.Equal("ttl", error.ParamName);
        AssertUnchanged();
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Invalidate_BadKey_ThrowsNamingKey(string? key)
    {
        AssertKeyRefused(() => _cache.Invalidate(key!));
        AssertUnchanged();
    }

    [Fact]
    public void InvalidatePattern_Empty_ThrowsPointingToClear()
    {
        var error = Assert.Throws<ArgumentException>(() => _cache.InvalidatePattern(""));
        Assert.Equal("pattern", error.ParamName);
        Assert.Contains("Clear()", error.Message, StringComparison.Ordinal);
        AssertUnchanged();
    }

    [Fact]
    public void InvalidatePattern_Null_ThrowsNamingPattern()
    {
        var error = Assert.Throws<ArgumentNullException>(() => _cache.InvalidatePattern(null!));
        Assert.Equal("pattern", error.ParamName);
        AssertUnchanged();
    }

    [Fact]
    public void Prewarm_NullItems_ThrowsNamingItems()
    {
        var error = Assert.Throws<ArgumentNullException>(() => _cache.Prewarm(null!));
        Assert.Equal("items", error.ParamName);
        AssertUnchanged();
    }

    [Theory]
    [InlineData(null, "v", "Item 1 has a null or empty key")]
    [InlineData("", "v", "Item 1 has a null or empty key")]
    [InlineData("k", null, "Item 1 has a null value")]
    public void Prewarm_BadItem_ThrowsNamingItemAndStoresNothing(string? key, string? value, string expected)
    {
        var items = new[] { new KeyValuePair<string, string>("first", "1"), new KeyValuePair<string, string>(key!, value!) };

        var error = Assert.Throws<ArgumentException>(() => _cache.Prewarm(items));

        Assert.Equal("items", error.ParamName);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(_cache.Get("first"));
        AssertUnchanged(misses: 1);
    }

    [Fact]
    public void Prewarm_EnumeratorThrowsMidway_StoresNothing()
    {
        static IEnumerable<KeyValuePair<string, string>> Items()
        {
            yield return new("first", "1");
            throw new IOException("source failed");
        }

        Assert.Throws<IOException>(() => _cache.Prewarm(Items()));
        Assert.Null(_cache.Get("first"));
        AssertUnchanged(misses: 1);
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task PrewarmFromFileAsync_BadPath_ThrowsNamingPath(string? path)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => _cache.PrewarmFromFileAsync(path!));
        Assert.Equal("path", error.ParamName);
        AssertUnchanged();
    }

    [Fact]
    public async Task PrewarmFromFileAsync_MissingFile_ThrowsFileNotFoundNamingPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => _cache.PrewarmFromFileAsync(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        AssertUnchanged();
    }

    public static TheoryData<int, int, int, int> BadOptions => new()
    {
        { 0, 600, 60, 10 },
        { -5, 600, 60, 10 },
        { 10, 0, 60, 10 },
        { 10, -1, 60, 10 },
        { 10, 600, 0, 10 },
        { 10, 600, 60, -1 },
        { 10, 600, 60, 1001 },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadOptions_ThrowsNamingOption(int maxSize, int ttlSeconds, int sweepSeconds, int topKeys)
    {
        var options = new DialogueCacheOptions
        {
            MaxSize = maxSize,
            Ttl = TimeSpan.FromSeconds(ttlSeconds),
            SweepInterval = TimeSpan.FromSeconds(sweepSeconds),
            TopKeysCount = topKeys,
        };

        var error = Assert.Throws<ArgumentException>(() => new DialogueCache(options));

        Assert.Equal("options", error.ParamName);
        var expected = maxSize <= 0 ? "MaxSize" : ttlSeconds <= 0 ? "Ttl" : sweepSeconds <= 0 ? "SweepInterval" : "TopKeysCount";
        Assert.Contains($"DialogueCacheOptions.{expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyNameOrPrewarmFile_ThrowsNamingOption()
    {
        var name = Assert.Throws<ArgumentException>(() => new DialogueCache(new DialogueCacheOptions { Name = " " }));
        Assert.Contains("DialogueCacheOptions.Name", name.Message, StringComparison.Ordinal);

        var file = Assert.Throws<ArgumentException>(() => new DialogueCache(new DialogueCacheOptions { PrewarmFiles = ["a.json", ""] }));
        Assert.Contains("DialogueCacheOptions.PrewarmFiles[1]", file.Message, StringComparison.Ordinal);

        var policy = Assert.Throws<ArgumentException>(() => new DialogueCache(new DialogueCacheOptions { EvictionPolicy = (EvictionPolicy)42 }));
        Assert.Contains("DialogueCacheOptions.EvictionPolicy", policy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsNamingOptions()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new DialogueCache((DialogueCacheOptions)null!));
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void Constructor_NullIOptionsOrNullValue_ThrowsNamingOptions()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new DialogueCache((IOptions<DialogueCacheOptions>)null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new DialogueCache(Options.Create<DialogueCacheOptions>(null!))).ParamName);
    }

    [Fact]
    public async Task BufferDistributedCache_NullKeyOrDestination_ThrowsNamingItAndCountsNothing()
    {
        IBufferDistributedCache buffered = _cache;
        var writer = new ArrayBufferWriter<byte>();

        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => buffered.TryGet(null!, writer)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => buffered.TryGet("kept", null!)).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await buffered.TryGetAsync(null!, writer))).ParamName);
        Assert.Equal("destination", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await buffered.TryGetAsync("kept", null!))).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => buffered.Set(null!, ReadOnlySequence<byte>.Empty, new DistributedCacheEntryOptions())).ParamName);
        Assert.Equal("options", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await buffered.SetAsync("kept", ReadOnlySequence<byte>.Empty, null!))).ParamName);
        Assert.Equal(0, writer.WrittenCount);
        AssertUnchanged();
    }

    [Fact]
    public void AsHybridCache_NullBuilder_ThrowsNamingBuilder()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ((IDialogueCacheBuilder)null!).AsHybridCache());

        Assert.Equal("builder", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void StoreHost_BadKeyOrPattern_ThrowsNamingItAndKeepsMemory(string? bad)
    {
        IDialogueCacheStoreHost host = _cache;

        Assert.Equal("key", Assert.ThrowsAny<ArgumentException>(() => host.EvictLocal(bad!)).ParamName);
        Assert.Equal("pattern", Assert.ThrowsAny<ArgumentException>(() => host.EvictLocalContaining(bad!)).ParamName);
        AssertUnchanged();
    }

    [Fact]
    public void StoreHost_LoadNull_ThrowsNamingEntries_AndBadEntriesAreSkipped()
    {
        IDialogueCacheStoreHost host = _cache;
        var later = DateTimeOffset.UtcNow.AddHours(1);

        Assert.Equal("entries", Assert.Throws<ArgumentNullException>(() => host.Load(null!)).ParamName);
        Assert.Equal(0, host.Load([new(null!, "v", later), new("", "v", later), new("k", null!, later), new("k", new object(), later), default]));
        AssertUnchanged();
    }

    [Fact]
    public void StoreHost_ReportErrorWithNullArguments_NeverThrowsAndCountsTheError()
    {
        IDialogueCacheStoreHost host = _cache;

        host.ReportError(null!, null!);

        Assert.Equal(1, _cache.Analytics().StoreErrors);
    }

    private static void AssertKeyRefused(Action call)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal("key", error.ParamName);
    }

    private void AssertUnchanged(long misses = 0)
    {
        var stats = _cache.Analytics();
        Assert.Equal(0, stats.Hits);
        Assert.Equal(misses, stats.Misses);
        Assert.Equal(1, stats.CurrentSize);
        Assert.Equal("value", _cache.Get("kept"));
    }
}
