using Microsoft.Extensions.AI;

namespace WebSample.Dialogue;

/// <summary>
/// Sits between the cache middleware and the model and records each call in the caller's <see cref="ModelCallProbe"/>:
/// a request whose probe saw no call was served from the cache (<c>X-Cache: HIT</c>).
/// </summary>
internal sealed class ModelCallProbeChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ModelCallProbe.RecordCall();
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ModelCallProbe.RecordCall();
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
