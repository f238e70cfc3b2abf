namespace Dialogue.Caching.Tests.Support;

/// <summary>
/// Waits for something another thread does (an eviction callback MemoryCache runs on the thread pool), bounded so
/// a bug fails the test instead of hanging it. Not a way to let time pass: time is always a FakeTimeProvider.
/// </summary>
internal static class Eventually
{
    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == task, $"{what} did not happen within 30 s");
        return await task;
    }
}
