using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.AI;

/// <summary>A cache on fake time, the fake model, and the middleware between them.</summary>
internal sealed class ChatRig : IDisposable
{
    public ChatRig(DialogueCacheOptions? options = null, Action<DialogueCachingChatClient>? configure = null)
    {
        Cache = new DialogueCache(options ?? new DialogueCacheOptions(), Time);
        Model = new FakeChatClient { Time = Time };
        Client = new DialogueCachingChatClient(Model, Cache, Time) { Random = new Random(7) };
        configure?.Invoke(Client);
    }

    public FakeTimeProvider Time { get; } = new();

    public DialogueCache Cache { get; }

    public FakeChatClient Model { get; }

    public DialogueCachingChatClient Client { get; }

    /// <summary>The one key read so far (top keys count every read, hit or miss).</summary>
    public string SingleKey()
    {
        var keys = Cache.Analytics().MostFrequentlyRequested.Select(k => k.Key).Distinct().ToList();
        return Assert.Single(keys);
    }

    public Task<ChatResponse> Ask(string line, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.GetResponseAsync(Chat.Conversation(line), options, cancellationToken);

    public async Task<string> AskStreaming(string line, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(Chat.Conversation(line), options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse().Text;
    }

    public void Dispose()
    {
        Client.Dispose();
        Cache.Dispose();
    }
}
