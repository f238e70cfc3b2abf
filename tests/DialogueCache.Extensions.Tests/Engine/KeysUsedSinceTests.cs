using Dialogue.Caching.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>The keys used since a recency stamp: what a store asks for to keep its own recency of memory hits.</summary>
public sealed class KeysUsedSinceTests
{
    private readonly CacheEngine _engine = new(maxSize: 100, topKeysCount: 10, new CacheClock(new FakeTimeProvider()));

    [Fact]
    public void KeysUsedSince_WritesAndHits_ReturnsThemOldestFirstAndTheNewestStamp()
    {
        _engine.Set("a", "v", long.MaxValue);
        _engine.Set("b", "v", long.MaxValue);
        _engine.Set("c", "v", long.MaxValue);
        Assert.True(_engine.TryGet("a", out _));

        var keys = _engine.KeysUsedSince(since: 0, max: 10, out var newest);

        Assert.Equal(["b", "c", "a"], keys);
        Assert.True(_engine.TryPeek("a", out var a));
        Assert.Equal(a.Stamp, newest);
    }

    [Fact]
    public void KeysUsedSince_TheLastNewestStamp_ReturnsOnlyWhatWasUsedAfter()
    {
        _engine.Set("a", "v", long.MaxValue);
        _engine.Set("b", "v", long.MaxValue);
        _ = _engine.KeysUsedSince(since: 0, max: 10, out var newest);

        Assert.True(_engine.TryGet("a", out _));
        var keys = _engine.KeysUsedSince(newest, max: 10, out var next);

        Assert.Equal(["a"], keys);
        Assert.True(next > newest);
        Assert.Empty(_engine.KeysUsedSince(next, max: 10, out var unchanged));
        Assert.Equal(next, unchanged);
    }

    [Fact]
    public void KeysUsedSince_MoreThanMax_KeepsTheMostRecentlyUsed()
    {
        for (var i = 0; i < 50; i++)
        {
            _engine.Set($"k{i}", "v", long.MaxValue);
        }

        Assert.True(_engine.TryGet("k3", out _));

        var keys = _engine.KeysUsedSince(since: 0, max: 3, out _);

        Assert.Equal(["k48", "k49", "k3"], keys);
    }

    [Fact]
    public void KeysUsedSince_RemovedEntry_IsLeftOut()
    {
        _engine.Set("a", "v", long.MaxValue);
        _engine.Set("b", "v", long.MaxValue);
        _engine.Remove("a");

        Assert.Equal(["b"], _engine.KeysUsedSince(since: 0, max: 10, out _));
    }
}
