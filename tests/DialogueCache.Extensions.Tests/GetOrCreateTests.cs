using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests;

public sealed class GetOrCreateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task GetOrCreateAsync_Miss_CallsFactoryStoresAndCountsMiss()
    {
        var cache = NewCache();
        var calls = 0;

        var value = await cache.GetOrCreateAsync("k", (key, _) => { calls++; return ValueTask.FromResult($"made:{key}"); });

        Assert.Equal("made:k", value);
        Assert.Equal("made:k", cache.Get("k"));
        Assert.Equal(1, calls);
        var stats = cache.Analytics();
        Assert.Equal(1, stats.Misses);
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.FactoryCalls);
    }

    [Fact]
    public async Task GetOrCreateAsync_Hit_CompletesSynchronouslyWithoutFactory()
    {
        var cache = NewCache();
        cache.Set("k", "cached");

        var task = cache.GetOrCreateAsync("k", (_, _) => throw new InvalidOperationException("must not run"));

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal("cached", await task);
        Assert.Equal(1, cache.Analytics().Hits);
    }

    [Fact]
    public async Task GetOrCreateAsync_Ttl_AppliesToCreatedEntry()
    {
        var cache = NewCache();

        await cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("v"), TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public async Task GetOrCreateAsync_ConcurrentMisses_RunFactoryOnce()
    {
        var cache = NewCache();
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        var callers = Enumerable.Range(0, 50)
            .Select(_ => Task.Run(() => cache.GetOrCreateAsync("k", (_, _) =>
            {
                Interlocked.Increment(ref calls);
                return new ValueTask<string>(release.Task);
            }).AsTask()))
            .ToArray();
        await WaitUntil(() => cache.Analytics().Misses == 50);
        release.SetResult("shared");
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("shared", r));
        var stats = cache.Analytics();
        Assert.Equal(49, stats.CoalescedCalls);
        Assert.Equal(1, stats.FactoryCalls);
    }

    [Fact]
    public async Task GetOrCreateAsync_FactoryThrows_EveryWaiterSeesItAndNothingIsCached()
    {
        var cache = NewCache();
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        Func<string, CancellationToken, ValueTask<string>> factory = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return new ValueTask<string>(release.Task);
        };

        var first = cache.GetOrCreateAsync("k", factory).AsTask();
        var second = cache.GetOrCreateAsync("k", factory).AsTask();
        release.SetException(new TimeoutException("model timed out"));

        Assert.Equal("model timed out", (await Assert.ThrowsAsync<TimeoutException>(() => first)).Message);
        Assert.Equal("model timed out", (await Assert.ThrowsAsync<TimeoutException>(() => second)).Message);
        Assert.Equal(1, calls);
        Assert.Null(cache.Get("k"));

        // The failure is not remembered: the next call runs the factory again.
        var value = await cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("recovered"));
        Assert.Equal("recovered", value);
    }

    [Fact]
    public async Task GetOrCreateAsync_FactoryThrowsSynchronously_PropagatesAndCachesNothing()
    {
        var cache = NewCache();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrCreateAsync("k", (_, _) => throw new InvalidOperationException("boom")));

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrCreateAsync_FactoryReturnsNull_ThrowsAndCachesNothing()
    {
        var cache = NewCache();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult<string>(null!)));

        Assert.Contains("null", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrCreateAsync_OneCallerCancels_OthersStillGetTheResult()
    {
        var cache = NewCache();
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var factoryToken = CancellationToken.None;
        Func<string, CancellationToken, ValueTask<string>> factory = (_, token) =>
        {
            factoryToken = token;
            return new ValueTask<string>(release.Task);
        };
        using var impatient = new CancellationTokenSource();

        var cancelled = cache.GetOrCreateAsync("k", factory, cancellationToken: impatient.Token).AsTask();
        var patient = cache.GetOrCreateAsync("k", factory).AsTask();
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(factoryToken.IsCancellationRequested);
        release.SetResult("answer");
        Assert.Equal("answer", await patient);
        Assert.Equal("answer", cache.Get("k"));
    }

    [Fact]
    public async Task GetOrCreateAsync_EveryCallerCancels_CancelsFactoryAndCachesNothing()
    {
        var cache = NewCache();
        var factoryCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        Func<string, CancellationToken, ValueTask<string>> factory = async (_, token) =>
        {
            // Not disposed on exit: Task.Delay's own registration runs first and ends the factory, whose
            // disposal of this registration would otherwise unregister it before it runs.
            token.Register(() => factoryCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        };

        var a = cache.GetOrCreateAsync("k", factory, cancellationToken: first.Token).AsTask();
        var b = cache.GetOrCreateAsync("k", factory, cancellationToken: second.Token).AsTask();
        await first.CancelAsync();
        Assert.False(factoryCancelled.Task.IsCompleted);
        await second.CancelAsync();

        await factoryCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        await WaitUntil(() => cache.Analytics().FactoryCalls == 1);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrCreateAsync_AfterAllCallersLeft_NewCallerStartsFreshFactory()
    {
        var cache = NewCache();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ignoreCancellation = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var leaving = new CancellationTokenSource();

        // A factory that ignores its token keeps the abandoned call in flight.
        var abandoned = cache.GetOrCreateAsync("k", (_, _) =>
        {
            firstStarted.TrySetResult();
            return new ValueTask<string>(ignoreCancellation.Task);
        }, cancellationToken: leaving.Token).AsTask();
        await firstStarted.Task;
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        var fresh = await cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("fresh"));

        Assert.Equal("fresh", fresh);
        ignoreCancellation.SetResult("late");
    }

    [Fact]
    public async Task GetOrCreateAsync_AlreadyCancelledToken_CountsNothing()
    {
        var cache = NewCache();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await cache.GetOrCreateAsync("k", (_, _) => ValueTask.FromResult("v"), cancellationToken: cancelled.Token));

        Assert.Equal(0, cache.Analytics().Misses);
    }

    [Fact]
    public async Task GetOrCreateAsync_DifferentKeys_DoNotCoalesce()
    {
        var cache = NewCache();
        var calls = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => cache.GetOrCreateAsync($"k{i}", async (key, _) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Yield();
            return key;
        }).AsTask()));

        Assert.Equal(20, calls);
        Assert.Equal(20, cache.Count);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Polls a condition that other threads make true; bounded so a bug fails instead of hanging.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(1);
        }
    }

    private DialogueCache NewCache() => new(new DialogueCacheOptions(), _time);
}
