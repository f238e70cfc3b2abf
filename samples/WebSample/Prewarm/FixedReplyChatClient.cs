using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace WebSample.Prewarm;

/// <summary>
/// A "model" that always answers with one written line. It reports the real model's metadata, because the model id
/// is part of the cache key: the prewarmed line must be found by requests that would go to the real model.
/// </summary>
/// <param name="reply">The line to answer with.</param>
/// <param name="metadata">The real model's metadata (provider, default model id).</param>
internal sealed class FixedReplyChatClient(string reply, ChatClientMetadata? metadata) : IChatClient
{
    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = options?.ModelId ?? metadata?.DefaultModelId,
            FinishReason = ChatFinishReason.Stop,
        });

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return new ChatResponseUpdate(ChatRole.Assistant, reply) { FinishReason = ChatFinishReason.Stop };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
        // Holds nothing.
    }
}
