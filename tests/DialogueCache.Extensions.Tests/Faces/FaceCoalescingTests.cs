using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching.Tests.Faces;

/// <summary>Concurrent GetOrCreate calls coalesce within a face, never across the string API and HybridCache.</summary>
public sealed class FaceCoalescingTests
{
    [Fact]
    public async Task GetOrCreateAsync_StringAndHybridOnOneKey_RunSeparateFactoriesAndEachGetsItsOwnValue()
    {
        var services = new ServiceCollection();
        services.AddDialogueCache().AsHybridCache();
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<DialogueCache>();
        var hybrid = provider.GetRequiredService<HybridCache>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hybridCalls = 0;
        var textCalls = 0;

        var fromHybrid = hybrid.GetOrCreateAsync("k", async token =>
        {
            Interlocked.Increment(ref hybridCalls);
            await release.Task.WaitAsync(token);
            return 42;
        }).AsTask();
        var fromText = cache.GetOrCreateAsync("k", async (_, token) =>
        {
            Interlocked.Increment(ref textCalls);
            await release.Task.WaitAsync(token);
            return "text";
        }).AsTask();
        release.SetResult();

        Assert.Equal(42, await fromHybrid);
        Assert.Equal("text", await fromText);
        Assert.Equal(1, hybridCalls);
        Assert.Equal(1, textCalls);
    }
}
