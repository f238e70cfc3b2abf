using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI.Internal;

/// <summary>A request as the middleware handles it: validated, its controls read, its key computed.</summary>
internal sealed class PreparedChatRequest
{
    /// <summary>A snapshot of the caller's messages (the caller may go on appending to its history).</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>The options for the model: the caller's, without the <c>dialogue.*</c> controls.</summary>
    public required ChatOptions? ModelOptions { get; init; }

    public required CacheMode Mode { get; init; }

    /// <summary>The lifetime of a stored response; <see langword="null"/> for the cache's default.</summary>
    public required TimeSpan? Ttl { get; init; }

    /// <summary>The cache key; <see langword="null"/> when the request is not cached.</summary>
    public required string? Key { get; init; }
}
