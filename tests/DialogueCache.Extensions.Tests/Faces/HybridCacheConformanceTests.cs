using Dialogue.Caching.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces;

/// <summary>
/// HybridCache behaviour, run against Microsoft's default HybridCache (MemoryCache as L1, a MemoryDistributedCache as
/// L2, both on the fake clock) and against DialogueCache's face (its memory tier as L1, a second-tier store as L2): a
/// difference from the platform is a failing test here or a deliberate deviation listed in the README (and tested in
/// <see cref="DialogueHybridCacheTests"/>).
/// </summary>
public abstract class HybridCacheConformanceTests : IDisposable
{
    private static readonly HybridCacheEntryOptions LocalReadOff = new() { Flags = HybridCacheEntryFlags.DisableLocalCacheRead };

    private readonly ServiceProvider _provider;

    protected HybridCacheConformanceTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IHybridCacheSerializer<Tagged>>(Serializer);
        AddHybridCache(services, Time, new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(30) });
        _provider = services.BuildServiceProvider();
        Cache = _provider.GetRequiredService<HybridCache>();
    }

    protected FakeTimeProvider Time { get; } = new();

    protected HybridCache Cache { get; }

    private TaggedSerializer Serializer { get; } = new("custom");

    public void Dispose()
    {
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task GetOrCreateAsync_Miss_CallsFactoryOnceThenServesTheValue()
    {
        var calls = 0;

        var first = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult($"reply {++calls}"));
        var second = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult($"reply {++calls}"));

        Assert.Equal("reply 1", first);
        Assert.Equal("reply 1", second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_WithState_PassesTheStateToTheFactory()
    {
        var value = await Cache.GetOrCreateAsync("k", (Prompt: "hello", Times: 2), (state, _) => ValueTask.FromResult(string.Concat(Enumerable.Repeat(state.Prompt, state.Times))));

        Assert.Equal("hellohello", value);
    }

    [Fact]
    public async Task GetOrCreateAsync_ConcurrentCallers_ShareOneFactoryCall()
    {
        var calls = 0;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 16)
            .Select(_ => Cache.GetOrCreateAsync("k", async _ =>
            {
                Interlocked.Increment(ref calls);
                return await release.Task;
            }).AsTask())
            .ToList();

        release.SetResult("shared");
        var results = await Task.WhenAll(callers);

        Assert.All(results, r => Assert.Equal("shared", r));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_FactoryThrows_EveryWaiterSeesItAndNothingIsCached()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 4)
            .Select(_ => Cache.GetOrCreateAsync<string>("k", async _ =>
            {
                await release.Task;
                throw new InvalidOperationException("model down");
            }).AsTask())
            .ToList();

        release.SetResult();

        foreach (var caller in callers)
        {
            Assert.Equal("model down", (await Assert.ThrowsAsync<InvalidOperationException>(() => caller)).Message);
        }

        Assert.Equal("recovered", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("recovered")));
    }

    [Fact]
    public async Task GetOrCreateAsync_OneWaiterCancels_OthersStillGetTheValue()
    {
        var calls = 0;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();
        async ValueTask<string> Factory(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            return await release.Task;
        }

        var leaving = Cache.GetOrCreateAsync("k", Factory, cancellationToken: impatient.Token).AsTask();
        var staying = Cache.GetOrCreateAsync("k", Factory).AsTask();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        release.SetResult("answer");

        Assert.Equal("answer", await staying);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_CancelledBeforeTheCall_Throws()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task SetAsync_ThenGetOrCreateAsync_ReturnsTheValueWithoutTheFactory()
    {
        await Cache.SetAsync("k", "set");

        Assert.Equal("set", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));
    }

    [Fact]
    public async Task SetAsync_ExistingKey_ReplacesTheValueInEveryTier()
    {
        await Cache.SetAsync("k", "old");

        await Cache.SetAsync("k", "new");

        Assert.Equal("new", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory")));
        Assert.Equal("new", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("factory"), LocalReadOff));
    }

    [Fact]
    public async Task RemoveAsync_RemovesFromEveryTier()
    {
        await Cache.SetAsync("k", "v");

        await Cache.RemoveAsync("k");

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), LocalReadOff));
    }

    [Fact]
    public async Task RemoveAsync_SeveralKeysOrNone_RemovesEachAndIgnoresNull()
    {
        await Cache.SetAsync("a", "1");
        await Cache.SetAsync("b", "2");
        await Cache.SetAsync("c", "3");

        await Cache.RemoveAsync(["a", "b"]);
        await Cache.RemoveAsync((IEnumerable<string>)null!);
        await Cache.RemoveAsync("missing");

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("a", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("b", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("3", await Cache.GetOrCreateAsync("c", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task RemoveByTagAsync_Tag_MakesEntriesCarryingItMissesAndKeepsTheOthers()
    {
        await Cache.SetAsync("blacksmith", "Welcome", tags: ["npc", "forge"]);
        await Cache.GetOrCreateAsync("innkeeper", _ => ValueTask.FromResult("Ale?"), tags: ["npc"]);
        await Cache.SetAsync("weather", "Rain", tags: ["world"]);
        await Cache.SetAsync("untagged", "Hi");

        await Cache.RemoveByTagAsync("npc");

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("blacksmith", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("innkeeper", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("Rain", await Cache.GetOrCreateAsync("weather", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("Hi", await Cache.GetOrCreateAsync("untagged", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task RemoveByTagAsync_Tag_AlsoInvalidatesTheDistributedCopy()
    {
        await Cache.SetAsync("k", "v", tags: ["npc"]);

        await Cache.RemoveByTagAsync("npc");

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), LocalReadOff));
    }

    [Fact]
    public async Task RemoveByTagAsync_Wildcard_MakesEveryEntryAMiss()
    {
        await Cache.SetAsync("a", "1", tags: ["x"]);
        await Cache.SetAsync("b", "2");

        await Cache.RemoveByTagAsync("*");

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("a", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("b", _ => ValueTask.FromResult("fresh"), LocalReadOff));
    }

    [Fact]
    public async Task RemoveByTagAsync_EntriesWrittenLater_AreKept()
    {
        await Cache.SetAsync("old", "1", tags: ["npc"]);
        await Cache.RemoveByTagAsync("npc");
        await Cache.RemoveByTagAsync("*");
        Time.Advance(TimeSpan.FromSeconds(1));

        await Cache.SetAsync("new", "2", tags: ["npc"]);
        var created = await Cache.GetOrCreateAsync("made", _ => ValueTask.FromResult("3"), tags: ["npc"]);

        Assert.Equal("2", await Cache.GetOrCreateAsync("new", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("3", await Cache.GetOrCreateAsync("made", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("3", created);
    }

    [Fact]
    public async Task RemoveByTagAsync_SeveralTags_InvalidatesEach()
    {
        await Cache.SetAsync("a", "1", tags: ["x"]);
        await Cache.SetAsync("b", "2", tags: ["y"]);

        await Cache.RemoveByTagAsync(["x", "y"]);

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("a", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("b", _ => ValueTask.FromResult("fresh")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task RemoveByTagAsync_NoTag_DoesNothing(string? tag)
    {
        await Cache.SetAsync("k", "v", tags: ["npc"]);

        await Cache.RemoveByTagAsync(tag!);
        await Cache.RemoveByTagAsync((IEnumerable<string>)null!);

        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public async Task SetAsync_ReservedOrEmptyTag_ThrowsArgumentException(string? tag)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await Cache.SetAsync("k", "v", tags: [tag!]));

        Assert.Equal("tags", error.ParamName);
    }

    [Fact]
    public async Task DisableLocalCacheRead_ValueInTheDistributedTier_IsServedWithoutTheFactory()
    {
        await Cache.SetAsync("k", "v");

        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), LocalReadOff));
    }

    [Fact]
    public async Task DisableBothReads_CallsTheFactoryAndItsValueReplacesTheEntry()
    {
        await Cache.SetAsync("k", "old");
        var bothOff = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead };

        Assert.Equal("new", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("new"), bothOff));
        Assert.Equal("new", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task DisableLocalCacheWrite_ValueLivesInTheDistributedTierOnly()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });

        var distributedOff = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheRead };
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), distributedOff));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("other")));
    }

    [Fact]
    public async Task DisableLocalCacheWrite_DistributedHit_DoesNotFillTheLocalTier()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite });
        var noLocalWrite = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite };
        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), noLocalWrite));

        var distributedOff = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheRead };
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), distributedOff));
    }

    [Fact]
    public async Task DisableDistributedCacheWrite_ValueLivesInTheLocalTierOnly()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite });

        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), LocalReadOff));
    }

    [Fact]
    public async Task DisableUnderlyingData_Miss_ReturnsDefaultWithoutCallingOrStoring()
    {
        var calls = 0;
        var cacheOnly = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

        var text = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult($"{++calls}"), cacheOnly);
        var number = await Cache.GetOrCreateAsync("n", _ => ValueTask.FromResult(++calls), cacheOnly);

        Assert.Null(text);
        Assert.Equal(0, number);
        Assert.Equal(0, calls);
        Assert.Equal("later", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("later")));
    }

    [Fact]
    public async Task DisableUnderlyingData_Hit_ReturnsTheValue()
    {
        await Cache.SetAsync("k", "v");

        var value = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"),
            new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

        Assert.Equal("v", value);
    }

    [Fact]
    public async Task DisableCompression_ValueRoundTrips()
    {
        var options = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableCompression };
        await Cache.SetAsync("k", new string('a', 10_000), options);

        Assert.Equal(new string('a', 10_000), await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), LocalReadOff));
    }

    [Fact]
    public async Task Expiration_Passed_IsAMissInEveryTier()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(10) });

        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task LocalCacheExpiration_Passed_ValueComesBackFromTheDistributedTier()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromSeconds(10) });

        Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task LocalCacheExpiration_Passed_LocalCopyIsGone()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromSeconds(10) });
        var distributedOff = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableDistributedCacheRead };

        Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), distributedOff));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh"), distributedOff));
    }

    [Fact]
    public async Task LocalCacheExpiration_LongerThanExpiration_IsCappedByIt()
    {
        await Cache.SetAsync("k", "v", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(10), LocalCacheExpiration = TimeSpan.FromMinutes(5) });

        Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task DefaultEntryOptions_Expiration_AppliesToCallsWithoutOptions()
    {
        await Cache.SetAsync("k", "v");

        Time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.Equal("v", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task GetOrCreateAsync_NonPositiveExpiration_ThrowsAndStoresNothing(int seconds)
    {
        var bad = TimeSpan.FromSeconds(seconds);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), new HybridCacheEntryOptions { Expiration = bad }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("v"), new HybridCacheEntryOptions { LocalCacheExpiration = bad }));

        Assert.Equal("fresh", await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult("fresh")));
    }

    [Fact]
    public async Task CustomSerializer_Registered_IsUsedForTheDistributedTier()
    {
        await Cache.SetAsync("k", new Tagged { Name = "Bran", Via = "caller" });

        var read = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Tagged()), LocalReadOff);

        Assert.Equal("Bran", read.Name);
        Assert.Equal("custom", read.Via);
        Assert.True(Serializer.Serialized >= 1);
        Assert.True(Serializer.Deserialized >= 1);
    }

    [Fact]
    public async Task JsonSerializer_ValueTupleAndRecords_RoundTripThroughTheDistributedTier()
    {
        await Cache.SetAsync("tuple", (Turn: 3, Text: "Hail"));
        await Cache.SetAsync("reply", new Reply { Text = "Hail", Turn = 3 });

        var tuple = await Cache.GetOrCreateAsync("tuple", _ => ValueTask.FromResult((0, "")), LocalReadOff);
        var reply = await Cache.GetOrCreateAsync("reply", _ => ValueTask.FromResult(new Reply()), LocalReadOff);

        Assert.Equal((3, "Hail"), tuple);
        Assert.Equal(("Hail", 3), (reply.Text, reply.Turn));
    }

    [Fact]
    public async Task MutableType_EveryCallerGetsItsOwnCopy()
    {
        var release = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiters = Enumerable.Range(0, 3).Select(_ => Cache.GetOrCreateAsync("k", async _ => await release.Task).AsTask()).ToList();
        release.SetResult(new Reply { Text = "Hail", Turn = 1 });
        var shared = await Task.WhenAll(waiters);

        var first = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Reply()));
        first.Text = "changed by a caller";
        var second = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Reply()));

        Assert.NotSame(first, second);
        Assert.Equal("Hail", second.Text);
        Assert.Equal(3, shared.Distinct().Count());
        Assert.All(shared, r => Assert.Equal("Hail", r.Text));
    }

    [Fact]
    public async Task ImmutableType_CallersShareOneInstance()
    {
        var line = new Line("smith", "Hail");

        var first = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(line));
        var second = await Cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(new Line("x", "y")));

        Assert.Same(line, first);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task NullValue_IsCachedLikeAnyOther()
    {
        var calls = 0;
        await Cache.SetAsync<Reply?>("set", null);

        var set = await Cache.GetOrCreateAsync("set", _ => ValueTask.FromResult<Reply?>(new Reply()));
        var created = await Cache.GetOrCreateAsync("made", _ => { calls++; return ValueTask.FromResult<string?>(null); });
        var again = await Cache.GetOrCreateAsync("made", _ => { calls++; return ValueTask.FromResult<string?>("later"); });

        Assert.Null(set);
        Assert.Null(created);
        Assert.Null(again);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task RemoveAsync_NullKey_ThrowsArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Cache.RemoveAsync((string)null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    public async Task GetOrCreateAsync_KeyItCannotCache_CallsTheFactoryEveryTime(string key)
    {
        var calls = 0;

        await Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(++calls));
        var second = await Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(++calls));

        Assert.Equal(2, second);
    }

    [Fact]
    public async Task GetOrCreateAsync_KeyOverMaximumLength_CallsTheFactoryEveryTime()
    {
        var calls = 0;
        var key = new string('k', 1025);

        await Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(++calls));
        await Cache.GetOrCreateAsync(key, _ => ValueTask.FromResult(++calls));
        Assert.Equal(2, calls);

        var longest = await Cache.GetOrCreateAsync(new string('k', 1024), _ => ValueTask.FromResult(++calls));
        var cached = await Cache.GetOrCreateAsync(new string('k', 1024), _ => ValueTask.FromResult(++calls));
        Assert.Equal(3, longest);
        Assert.Equal(3, cached);
    }

    /// <summary>Registers the HybridCache under test, with <paramref name="defaults"/> as its default entry options.</summary>
    protected abstract void AddHybridCache(IServiceCollection services, FakeTimeProvider time, HybridCacheEntryOptions defaults);
}

/// <summary>The platform: Microsoft's default HybridCache (<c>AddHybridCache()</c>).</summary>
public sealed class MicrosoftHybridCacheConformanceTests : HybridCacheConformanceTests
{
    protected override void AddHybridCache(IServiceCollection services, FakeTimeProvider time, HybridCacheEntryOptions defaults)
    {
        // MemoryCache and MemoryDistributedCache take their clock as an ISystemClock; HybridCache takes the TimeProvider.
        services.AddMemoryCache(o => o.Clock = new FakeSystemClock(time));
        services.AddSingleton<IDistributedCache>(new PassThroughDistributedCache(
            new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeSystemClock(time) }))));
        services.AddHybridCache(o => o.DefaultEntryOptions = defaults);
    }
}

/// <summary>DialogueCache through its HybridCache face (<c>AddDialogueCache().AsHybridCache()</c>), with a second tier.</summary>
public sealed class DialogueHybridCacheConformanceTests : HybridCacheConformanceTests
{
    protected override void AddHybridCache(IServiceCollection services, FakeTimeProvider time, HybridCacheEntryOptions defaults)
    {
        services.AddKeyedSingleton<IDialogueCacheStore>("default", new RecordingStore());
        services.AddDialogueCache().AsHybridCache(o => o.DefaultEntryOptions = defaults);
    }
}
