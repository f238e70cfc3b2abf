using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.IntegrationTests.Support;

/// <summary>
/// A model for the tests: answers every request with the reply of its script (finish reason Stop, with token usage),
/// streamed in a few chunks when asked to stream, and counts its calls. A cache hit is a call it never gets.
/// </summary>
internal sealed class ScriptedChatClient(Func<int, string> reply) : IChatClient
{
    private int _calls;

    /// <summary>A model whose every call fails the test: what is cached must be served without it.</summary>
    public static ScriptedChatClient MustNotBeCalled() => new(_ => throw new InvalidOperationException("The model was called: the cached response was not served."));

    /// <summary>Model calls so far (streaming or not).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(call)))
        {
            ModelId = "scripted",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 10, TotalTokenCount = 30 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        var text = reply(call);
        foreach (var chunk in text.Chunk(Math.Max(1, text.Length / 3)))
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, new string(chunk)) { ModelId = "scripted" };
        }

        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
