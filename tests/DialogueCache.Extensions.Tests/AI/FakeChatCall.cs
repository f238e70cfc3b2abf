using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

/// <summary>One call the fake model received.</summary>
internal sealed record FakeChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, bool Streaming);
