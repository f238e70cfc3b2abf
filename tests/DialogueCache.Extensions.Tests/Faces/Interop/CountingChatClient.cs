using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.Faces.Interop;

/// <summary>A fake model: answers "Reply to: {last user message}" and counts the calls that reach it.</summary>
internal sealed class CountingChatClient : IChatClient
{
    private int _calls;
    private int _streamingCalls;

    public int Calls => Volatile.Read(ref _calls);

    public int StreamingCalls => Volatile.Read(ref _streamingCalls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(messages)))
        {
            FinishReason = ChatFinishReason.Stop,
            ModelId = "fake-model",
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _streamingCalls);
        foreach (var word in Answer(messages).Split(' '))
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { ModelId = "fake-model" };
        }

        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static string Answer(IEnumerable<ChatMessage> messages) => $"Reply to: {messages.Last(m => m.Role == ChatRole.User).Text}";
}
