using Dialogue.Caching.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Engine;

/// <summary>Fences: a store fill that read before a fence stands down; memory is left as it was.</summary>
public sealed class FenceTests
{
    private readonly CacheEngine _engine = new(maxSize: 100, topKeysCount: 10, new CacheClock(new FakeTimeProvider()));

    [Fact]
    public void Fence_AfterAFillReadTheStore_TheFillStandsDownAndMemoryIsUntouched()
    {
        _engine.Set("other", "kept", long.MaxValue);
        var version = _engine.WriteVersionOf("k");

        _engine.Fence("k");

        Assert.Null(_engine.AddIfUnchanged("k", "stale", long.MaxValue, version));
        Assert.False(_engine.TryPeek("k", out _));
        Assert.True(_engine.TryPeek("other", out _));
        Assert.Equal(1, _engine.Count);
    }

    [Fact]
    public void FenceAll_AfterFillsReadTheStore_EveryFillStandsDown()
    {
        var a = _engine.WriteVersionOf("a");
        var b = _engine.WriteVersionOf("b");

        _engine.FenceAll();

        Assert.Null(_engine.AddIfUnchanged("a", "stale", long.MaxValue, a));
        Assert.Null(_engine.AddIfUnchanged("b", "stale", long.MaxValue, b));
        Assert.Equal(0, _engine.Count);
    }

    [Fact]
    public void AddIfUnchanged_NoFenceSinceTheRead_Fills()
    {
        var version = _engine.WriteVersionOf("k");

        Assert.NotNull(_engine.AddIfUnchanged("k", "v", long.MaxValue, version));
        Assert.True(_engine.TryPeek("k", out _));
    }
}
