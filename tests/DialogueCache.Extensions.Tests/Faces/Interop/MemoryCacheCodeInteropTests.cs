using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Faces.Interop;

/// <summary>Code written against <see cref="IMemoryCache"/> and its extension methods, run on DialogueCache unchanged.</summary>
public sealed class MemoryCacheCodeInteropTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services;
    private readonly GreetingService _greetings;
    private readonly DialogueCache _cache;

    public MemoryCacheCodeInteropTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDialogueCache();
        services.AddSingleton<IMemoryCache>(sp => sp.GetRequiredService<DialogueCache>());
        services.AddSingleton<GreetingService>();
        _services = services.BuildServiceProvider();
        _greetings = _services.GetRequiredService<GreetingService>();
        _cache = _services.GetRequiredService<DialogueCache>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void GetOrCreate_SameNameTwice_ComputesOnceAndCountsAHit()
    {
        Assert.Equal("Hello, Ann!", _greetings.Greet("Ann"));
        Assert.Equal("Hello, Ann!", _greetings.Greet("Ann"));

        Assert.Equal(1, _greetings.Computed);
        Assert.Equal((1, 1), (_cache.Analytics().Hits, _cache.Analytics().Misses));
        Assert.Equal("Hello, Ann!", _cache.Get("greeting:Ann"));
    }

    [Fact]
    public void GetOrCreate_SlidingExpiration_KeepsAliveWhileReadAndExpiresWhenIdle()
    {
        _greetings.Greet("Ann");

        _time.Advance(TimeSpan.FromSeconds(50));
        _greetings.Greet("Ann");
        _time.Advance(TimeSpan.FromSeconds(50));
        _greetings.Greet("Ann");
        Assert.Equal(1, _greetings.Computed);

        _time.Advance(TimeSpan.FromMinutes(1));
        _greetings.Greet("Ann");
        Assert.Equal(2, _greetings.Computed);
    }

    [Fact]
    public async Task GetOrCreateAsync_AbsoluteExpiration_RecomputesAfterIt()
    {
        Assert.Equal("Farewell, Bo.", await _greetings.FarewellAsync("Bo"));
        Assert.Equal("Farewell, Bo.", await _greetings.FarewellAsync("Bo"));
        Assert.Equal(1, _greetings.Computed);

        _time.Advance(TimeSpan.FromMinutes(5));
        await _greetings.FarewellAsync("Bo");

        Assert.Equal(2, _greetings.Computed);
    }

    [Fact]
    public void SetAndTryGetValue_TypedValues_RoundTrip()
    {
        _greetings.Remember("Ann", 3);

        Assert.Equal(3, _greetings.VisitsOf("Ann"));
        Assert.Equal(0, _greetings.VisitsOf("Bo"));
    }

    /// <summary>"Existing code": written for IMemoryCache with no knowledge of DialogueCache.</summary>
    private sealed class GreetingService(IMemoryCache cache)
    {
        private int _computed;

        public int Computed => Volatile.Read(ref _computed);

        public string Greet(string name) => cache.GetOrCreate($"greeting:{name}", entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(1);
            Interlocked.Increment(ref _computed);
            return $"Hello, {name}!";
        })!;

        public async Task<string> FarewellAsync(string name) => (await cache.GetOrCreateAsync($"farewell:{name}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            Interlocked.Increment(ref _computed);
            await Task.Yield();
            return $"Farewell, {name}.";
        }))!;

        public void Remember(string name, int visits) => cache.Set(("visits", name), visits, TimeSpan.FromHours(1));

        public int VisitsOf(string name) => cache.TryGetValue(("visits", name), out int visits) ? visits : 0;
    }
}
