using System.Reflection;
using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

/// <summary>
/// The <see cref="CachingChatClient"/> storage members (protected): they read and write the same entries as the
/// request flow, so code built on the base contract and the middleware see one cache.
/// </summary>
public sealed class ChatCacheContractTests
{
    [Fact]
    public async Task ReadCacheAsync_EntryStoredByARequest_ReturnsItsResponse()
    {
        using var rig = new ChatRig();
        await rig.Ask("Hello");

        var response = await Invoke<ChatResponse?>(rig.Client, "ReadCacheAsync", rig.SingleKey(), CancellationToken.None);

        Assert.Equal("Welcome to the forge, traveller. What do you need?", response?.Text);
    }

    [Fact]
    public async Task ReadCacheAsync_NoEntry_ReturnsNull()
    {
        using var rig = new ChatRig();

        Assert.Null(await Invoke<ChatResponse?>(rig.Client, "ReadCacheAsync", "chat||t:nothing", CancellationToken.None));
    }

    [Fact]
    public async Task WriteCacheAsync_ThenARequestWithThatKey_IsAHit()
    {
        using var rig = new ChatRig();
        await rig.Ask("Hello");
        var key = rig.SingleKey();

        await Invoke<object>(rig.Client, "WriteCacheAsync", key, new ChatResponse(new ChatMessage(ChatRole.Assistant, "Written.")), CancellationToken.None);
        var response = await rig.Ask("Hello");

        Assert.Equal("Written.", response.Text);
        Assert.Equal(1, rig.Model.Calls);
    }

    [Fact]
    public async Task WriteCacheStreamingAsync_ThenReadCacheStreamingAsync_ReturnsTheUpdates()
    {
        using var rig = new ChatRig(configure: c => c.CoalesceStreamingUpdates = false);
        IReadOnlyList<ChatResponseUpdate> updates = [new(ChatRole.Assistant, "Hel"), new(ChatRole.Assistant, "lo.")];

        await Invoke<object>(rig.Client, "WriteCacheStreamingAsync", "chat||t:k", updates, CancellationToken.None);
        var read = await Invoke<IReadOnlyList<ChatResponseUpdate>?>(rig.Client, "ReadCacheStreamingAsync", "chat||t:k", CancellationToken.None);

        Assert.Equal(["Hel", "lo."], read!.Select(u => u.Text));
    }

    [Theory]
    [InlineData("ReadCacheAsync")]
    [InlineData("ReadCacheStreamingAsync")]
    public async Task ReadCache_EmptyKey_Throws(string method)
    {
        using var rig = new ChatRig();

        await Assert.ThrowsAsync<ArgumentException>(() => Invoke<object>(rig.Client, method, "", CancellationToken.None));
    }

    [Fact]
    public async Task WriteCacheAsync_NullValue_Throws()
    {
        using var rig = new ChatRig();

        await Assert.ThrowsAsync<ArgumentNullException>(() => Invoke<object>(rig.Client, "WriteCacheAsync", "k", null, CancellationToken.None));
    }

    [Fact]
    public async Task WriteCacheStreamingAsync_NullValue_Throws()
    {
        using var rig = new ChatRig();

        await Assert.ThrowsAsync<ArgumentNullException>(() => Invoke<object>(rig.Client, "WriteCacheStreamingAsync", "k", null, CancellationToken.None));
    }

    // The members are protected and the class is sealed: call them the way the base class would, through reflection.
    private static async Task<T?> Invoke<T>(DialogueCachingChatClient client, string name, params object?[] arguments)
    {
        var method = typeof(DialogueCachingChatClient).GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic)!;
        Task task;
        try
        {
            task = (Task)method.Invoke(client, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }

        await task;
        return task.GetType().GetProperty("Result") is { } result ? (T?)result.GetValue(task) : default;
    }
}
