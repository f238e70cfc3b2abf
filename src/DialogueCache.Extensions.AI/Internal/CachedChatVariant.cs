using System.Text.Json;

namespace Dialogue.Caching.AI.Internal;

/// <summary>One stored model response: the response (or its streaming updates) as JSON, and what it cost.</summary>
internal sealed class CachedChatVariant
{
    /// <summary>SHA-256 (hex) of the response's normalized text: tells distinct variants apart.</summary>
    public required string Digest { get; init; }

    /// <summary>How long the model took to produce the response (what a hit saves).</summary>
    public required TimeSpan Latency { get; init; }

    public required long InputTokens { get; init; }

    public required long OutputTokens { get; init; }

    /// <summary><see langword="true"/> when <see cref="Payload"/> is the list of streaming updates, else one <c>ChatResponse</c>.</summary>
    public required bool IsUpdates { get; init; }

    public required JsonElement Payload { get; init; }
}
