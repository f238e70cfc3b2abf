using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces;

/// <summary>
/// IDistributedCache and IBufferDistributedCache behaviour, run against Microsoft's MemoryDistributedCache and
/// against DialogueCache.
/// </summary>
public abstract class DistributedCacheConformanceTests
{
    protected DistributedCacheConformanceTests()
    {
        Cache = CreateCache(Time);
    }

    protected FakeTimeProvider Time { get; } = new();

    protected IDistributedCache Cache { get; }

    [Fact]
    public void SetAndGet_Bytes_RoundTrip()
    {
        Cache.Set("k", [1, 2, 3], new DistributedCacheEntryOptions());

        Assert.Equal([1, 2, 3], Cache.Get("k"));
        Assert.Null(Cache.Get("missing"));
    }

    [Fact]
    public async Task SetAndGetAsync_String_RoundTripsAsUtf8()
    {
        await Cache.SetStringAsync("k", "héllo");

        Assert.Equal("héllo", await Cache.GetStringAsync("k"));
        Assert.Equal("héllo"u8.ToArray(), await Cache.GetAsync("k"));
    }

    [Fact]
    public void RelativeExpiration_Passed_Expires()
    {
        Cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10) });

        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(Cache.Get("k"));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Cache.Get("k"));
    }

    [Fact]
    public void AbsoluteExpiration_Passed_Expires()
    {
        Cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = Time.GetUtcNow().AddSeconds(30) });

        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(Cache.Get("k"));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Cache.Get("k"));
    }

    [Fact]
    public void AbsoluteExpiration_AlreadyPast_IsNotStoredAndPriorValueGoes()
    {
        Cache.Set("k", [1], new DistributedCacheEntryOptions());

        Cache.Set("k", [2], new DistributedCacheEntryOptions { AbsoluteExpiration = Time.GetUtcNow().AddSeconds(-1) });

        Assert.Null(Cache.Get("k"));
    }

    [Fact]
    public void SlidingExpiration_RefreshKeepsAliveWithoutReading()
    {
        Cache.Set("k", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) });

        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(8));
            Cache.Refresh("k");
        }

        Time.Advance(TimeSpan.FromSeconds(8));
        Assert.NotNull(Cache.Get("k"));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(Cache.Get("k"));
    }

    [Fact]
    public async Task RefreshAsync_MissingKey_DoesNothing()
    {
        await Cache.RefreshAsync("missing");

        Assert.Null(await Cache.GetAsync("missing"));
    }

    [Fact]
    public async Task Remove_AndRemoveAsync_DeleteTheEntry()
    {
        Cache.Set("a", [1], new DistributedCacheEntryOptions());
        Cache.Set("b", [2], new DistributedCacheEntryOptions());

        Cache.Remove("a");
        await Cache.RemoveAsync("b");

        Assert.Null(Cache.Get("a"));
        Assert.Null(Cache.Get("b"));
    }

    [Fact]
    public async Task EmptyKey_IsAnOrdinaryKey()
    {
        Cache.Set("", [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        await Cache.SetStringAsync("other", "x");

        Assert.Equal([1], Cache.Get(""));
        Assert.Equal([1], await Cache.GetAsync(""));
        Cache.Refresh("");
        await Cache.RefreshAsync("");
        Cache.Remove("");
        Assert.Null(Cache.Get(""));
        await Cache.SetAsync("", [2], new DistributedCacheEntryOptions());
        await Cache.RemoveAsync("");
        Assert.Null(await Cache.GetAsync(""));
        Assert.Equal("x", await Cache.GetStringAsync("other"));
    }

    [Fact]
    public async Task NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Cache.Get(null!));
        Assert.Throws<ArgumentNullException>(() => Cache.Set(null!, [1], new DistributedCacheEntryOptions()));
        Assert.Throws<ArgumentNullException>(() => Cache.Set("k", null!, new DistributedCacheEntryOptions()));
        Assert.Throws<ArgumentNullException>(() => Cache.Set("k", [1], null!));
        Assert.Throws<ArgumentNullException>(() => Cache.Remove(null!));
        Assert.Throws<ArgumentNullException>(() => Cache.Refresh(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Cache.GetAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Cache.SetAsync("k", null!, new DistributedCacheEntryOptions()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NonPositiveExpirations_AreRefusedByTheOptions(int seconds)
    {
        var options = new DistributedCacheEntryOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.SlidingExpiration = TimeSpan.FromSeconds(seconds));
    }

    protected abstract IDistributedCache CreateCache(FakeTimeProvider time);
}

/// <summary>The platform: Microsoft's MemoryDistributedCache.</summary>
public sealed class MicrosoftDistributedCacheConformanceTests : DistributedCacheConformanceTests
{
    protected override IDistributedCache CreateCache(FakeTimeProvider time) =>
        new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeSystemClock(time) }));
}

/// <summary>DialogueCache through its IDistributedCache face.</summary>
public sealed class DialogueDistributedCacheConformanceTests : DistributedCacheConformanceTests
{
    protected override IDistributedCache CreateCache(FakeTimeProvider time) => new DialogueCache(new DialogueCacheOptions(), time);
}
