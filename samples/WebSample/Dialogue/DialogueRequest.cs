namespace WebSample.Dialogue;

/// <summary>The body of <c>POST /dialogue</c>: who is asked, in which scene, and what was said.</summary>
/// <param name="Character">Who answers, e.g. <c>npc:blacksmith</c>: the cache key's first segment.</param>
/// <param name="Context">What the answer depends on besides the line (scene, quest state); may be empty.</param>
/// <param name="Prompt">What the player said.</param>
internal sealed record DialogueRequest(string? Character, string? Context, string? Prompt);
