using System.Diagnostics;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// Waits, bounded, for something another party does (a pub/sub message from the server, a reconnect): polls a
/// condition until it holds or the limit passes. Nothing here lets time pass for the code under test; it only
/// waits for a real server.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(10);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when it did not within the limit.</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((limit ?? DefaultLimit).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }
    }

    /// <summary>True as soon as the asynchronous <paramref name="condition"/> holds; false when it did not within the limit.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((limit ?? DefaultLimit).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>Fails the test with <paramref name="what"/> unless the condition holds within the limit.</summary>
    public static async Task AssertAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        Assert.True(await HoldsAsync(condition, limit), $"Timed out waiting until {what}.");
}
