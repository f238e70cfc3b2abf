namespace WebSample.Prewarm;

/// <summary>One line of an NPC-lines prewarm file: what the character says when a player says the prompt.</summary>
/// <param name="Character">Who answers, e.g. <c>npc:blacksmith</c>.</param>
/// <param name="Context">The scene; may be left out.</param>
/// <param name="Prompt">The player's line.</param>
/// <param name="Response">The character's reply, served from the cache without a model call.</param>
internal sealed record NpcLine(string? Character, string? Context, string? Prompt, string? Response);
