using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces;

/// <summary>
/// IMemoryCache behaviour, run against Microsoft's MemoryCache and against DialogueCache: a difference from the
/// platform is a failing test here or a deliberate deviation listed in the README (and tested in
/// <see cref="DialogueFaceTests"/>).
/// </summary>
public abstract class MemoryCacheConformanceTests : IDisposable
{
    private readonly IMemoryCache _cache;

    protected MemoryCacheConformanceTests()
    {
        _cache = CreateCache(Time);
    }

    protected FakeTimeProvider Time { get; } = new();

    public void Dispose()
    {
        _cache.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void SetAndGet_StringAndObjectValues_RoundTrip()
    {
        var value = new List<int> { 1, 2 };
        _cache.Set("text", "hello");
        _cache.Set("list", value);

        Assert.Equal("hello", _cache.Get<string>("text"));
        Assert.Same(value, _cache.Get("list"));
        Assert.True(_cache.TryGetValue("text", out string? text));
        Assert.Equal("hello", text);
    }

    [Fact]
    public void TryGetValue_Missing_ReturnsFalse()
    {
        Assert.False(_cache.TryGetValue("missing", out var value));
        Assert.Null(value);
        Assert.Null(_cache.Get<string>("missing"));
    }

    [Fact]
    public void Set_NullValue_IsStored()
    {
        _cache.Set<object?>("k", null);

        Assert.True(_cache.TryGetValue("k", out var value));
        Assert.Null(value);
    }

    [Fact]
    public void Keys_OfAnyType_UseEquality()
    {
        _cache.Set(42, "int");
        _cache.Set((1, "a"), "tuple");
        _cache.Set(new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), "guid");

        Assert.Equal("int", _cache.Get<string>(42));
        Assert.Equal("tuple", _cache.Get<string>((1, "a")));
        Assert.Equal("guid", _cache.Get<string>(new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff")));
        Assert.Null(_cache.Get<string>(43));
    }

    [Fact]
    public void CreateEntry_NotDisposed_IsNotStored()
    {
        var entry = _cache.CreateEntry("k");
        entry.Value = "v";

        Assert.False(_cache.TryGetValue("k", out _));
        entry.Dispose();
        Assert.True(_cache.TryGetValue("k", out _));
    }

    [Fact]
    public async Task Remove_CallsCallbackWithRemoved()
    {
        var evicted = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _cache.Set("k", "v", Callback(evicted));

        _cache.Remove("k");

        Assert.False(_cache.TryGetValue("k", out _));
        Assert.Equal(("k", (object?)"v", EvictionReason.Removed), await Eventually.Within(evicted.Task, "callback"));
    }

    [Fact]
    public async Task Set_ExistingKey_CallsOldCallbackWithReplaced()
    {
        var evicted = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _cache.Set("k", "old", Callback(evicted));

        _cache.Set("k", "new");

        Assert.Equal("new", _cache.Get<string>("k"));
        Assert.Equal(("k", (object?)"old", EvictionReason.Replaced), await Eventually.Within(evicted.Task, "callback"));
    }

    [Fact]
    public async Task RelativeExpiration_Passed_ExpiresAndCallsCallbackWithExpired()
    {
        var evicted = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Callback(evicted);
        options.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10);
        _cache.Set("k", "v", options);

        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(_cache.TryGetValue("k", out _));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.TryGetValue("k", out _));

        Assert.Equal(EvictionReason.Expired, (await Eventually.Within(evicted.Task, "callback")).Item3);
    }

    [Fact]
    public void AbsoluteExpiration_Passed_Expires()
    {
        _cache.Set("k", "v", Time.GetUtcNow().AddMinutes(1));

        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(_cache.TryGetValue("k", out _));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.TryGetValue("k", out _));
    }

    [Fact]
    public async Task AbsoluteExpiration_AlreadyPast_IsNotStoredAndPriorEntryGoes()
    {
        var prior = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rejected = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _cache.Set("k", "prior", Callback(prior));
        var options = Callback(rejected);
        options.AbsoluteExpiration = Time.GetUtcNow().AddSeconds(-1);

        _cache.Set("k", "late", options);

        Assert.False(_cache.TryGetValue("k", out _));
        Assert.Equal(("k", (object?)"late", EvictionReason.Expired), await Eventually.Within(rejected.Task, "callback of the rejected entry"));
        Assert.Equal("prior", (await Eventually.Within(prior.Task, "callback of the prior entry")).Item2);
    }

    [Fact]
    public void SlidingExpiration_ReadInsideWindow_StaysAliveUntilIdle()
    {
        _cache.Set("k", "v", new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) });

        for (var i = 0; i < 5; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(9));
            Assert.True(_cache.TryGetValue("k", out _));
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(_cache.TryGetValue("k", out _));
    }

    [Fact]
    public void SlidingWithAbsolute_AbsoluteCapsTheLifetime()
    {
        _cache.Set("k", "v", new MemoryCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(10),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(25),
        });

        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(_cache.TryGetValue("k", out _));
        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(_cache.TryGetValue("k", out _));
        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(_cache.TryGetValue("k", out _));
    }

    [Fact]
    public async Task ExpirationToken_Fired_RemovesEntryWithTokenExpired()
    {
        using var source = new CancellationTokenSource();
        var evicted = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Callback(evicted);
        options.AddExpirationToken(new CancellationChangeToken(source.Token));
        _cache.Set("k", "v", options);
        Assert.True(_cache.TryGetValue("k", out _));

        await source.CancelAsync();

        Assert.False(_cache.TryGetValue("k", out _));
        Assert.Equal(EvictionReason.TokenExpired, (await Eventually.Within(evicted.Task, "callback")).Item3);
    }

    [Fact]
    public void ExpirationToken_AlreadyFired_IsNotStored()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();

        _cache.Set("k", "v", new CancellationChangeToken(source.Token));

        Assert.False(_cache.TryGetValue("k", out _));
    }

    [Fact]
    public async Task Callback_CanUseTheCache_NoDeadlock()
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new MemoryCacheEntryOptions().RegisterPostEvictionCallback((key, _, _, state) =>
        {
            var cache = (IMemoryCache)state!;
            cache.Set("from-callback", "written");
            done.SetResult(cache.TryGetValue("from-callback", out _));
        }, _cache);
        _cache.Set("k", "v", options);

        _cache.Remove("k");

        Assert.True(await Eventually.Within(done.Task, "callback"));
    }

    [Fact]
    public async Task Callback_Throwing_DoesNotBreakTheCacheOrOtherCallbacks()
    {
        var second = new TaskCompletionSource<(object, object?, EvictionReason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new MemoryCacheEntryOptions()
            .RegisterPostEvictionCallback((_, _, _, _) => throw new InvalidOperationException("callback bug"));
        options.PostEvictionCallbacks.Add(new PostEvictionCallbackRegistration
        {
            EvictionCallback = (key, value, reason, _) => second.TrySetResult((key, value, reason)),
        });
        _cache.Set("k", "v", options);

        _cache.Remove("k");
        _cache.Set("after", "ok");

        Assert.Equal(EvictionReason.Removed, (await Eventually.Within(second.Task, "second callback")).Item3);
        Assert.Equal("ok", _cache.Get<string>("after"));
    }

    [Fact]
    public void GetOrCreate_Extension_RunsFactoryOnceThenHits()
    {
        var calls = 0;

        var first = _cache.GetOrCreate("k", entry =>
        {
            calls++;
            entry.SlidingExpiration = TimeSpan.FromMinutes(1);
            return "made";
        });
        var second = _cache.GetOrCreate("k", _ => { calls++; return "again"; });

        Assert.Equal("made", first);
        Assert.Equal("made", second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_Extension_RunsFactoryOnceThenHits()
    {
        var calls = 0;

        var first = await _cache.GetOrCreateAsync("k", async entry =>
        {
            calls++;
            await Task.Yield();
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            return "made";
        });
        var second = await _cache.GetOrCreateAsync("k", _ => { calls++; return Task.FromResult("again"); });

        Assert.Equal("made", first);
        Assert.Equal("made", second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void GetCurrentStatistics_CountsHitsMissesAndEntries()
    {
        _cache.Set("a", 1);
        _cache.Set("b", 2);
        _cache.TryGetValue("a", out _);
        _cache.TryGetValue("a", out _);
        _cache.TryGetValue("zzz", out _);

        var stats = _cache.GetCurrentStatistics();

        Assert.NotNull(stats);
        Assert.Equal(2, stats.CurrentEntryCount);
        Assert.Equal(2, stats.TotalHits);
        Assert.Equal(1, stats.TotalMisses);
    }

    [Fact]
    public void EmptyStringKey_IsAnOrdinaryKey()
    {
        _cache.Set("", "empty");
        _cache.Set("other", "x");

        Assert.True(_cache.TryGetValue("", out var value));
        Assert.Equal("empty", value);
        _cache.Remove("");
        Assert.False(_cache.TryGetValue("", out _));
        Assert.Equal("x", _cache.Get<string>("other"));
    }

    [Fact]
    public void NullKey_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _cache.CreateEntry(null!));
        Assert.Throws<ArgumentNullException>(() => _cache.TryGetValue(null!, out _));
        Assert.Throws<ArgumentNullException>(() => _cache.Remove(null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NonPositiveExpirations_Throw(int seconds)
    {
        using var entry = _cache.CreateEntry("k");

        Assert.Throws<ArgumentOutOfRangeException>(() => entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => entry.SlidingExpiration = TimeSpan.FromSeconds(seconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => entry.Size = -1);
    }

    protected abstract IMemoryCache CreateCache(FakeTimeProvider time);

    private static MemoryCacheEntryOptions Callback(TaskCompletionSource<(object, object?, EvictionReason)> evicted) =>
        new MemoryCacheEntryOptions().RegisterPostEvictionCallback((key, value, reason, _) => evicted.TrySetResult((key, value, reason)));
}

/// <summary>The platform: Microsoft's MemoryCache.</summary>
public sealed class MicrosoftMemoryCacheConformanceTests : MemoryCacheConformanceTests
{
    protected override IMemoryCache CreateCache(FakeTimeProvider time) =>
        new MemoryCache(Options.Create(new MemoryCacheOptions { Clock = new FakeSystemClock(time), TrackStatistics = true }));
}

/// <summary>DialogueCache through its IMemoryCache face.</summary>
public sealed class DialogueMemoryCacheConformanceTests : MemoryCacheConformanceTests
{
    protected override IMemoryCache CreateCache(FakeTimeProvider time) =>
        new DialogueCache(new DialogueCacheOptions(), time);
}
