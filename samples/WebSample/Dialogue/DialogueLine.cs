namespace WebSample.Dialogue;

/// <summary>A checked dialogue request: a character, a context (maybe empty) and a prompt, within their limits.</summary>
/// <param name="Character">Who answers.</param>
/// <param name="Context">The scene; empty when none was given.</param>
/// <param name="Prompt">What was said.</param>
internal sealed record DialogueLine(string Character, string Context, string Prompt)
{
    /// <summary>The longest character name accepted.</summary>
    public const int MaxCharacterLength = 100;

    /// <summary>The longest context accepted.</summary>
    public const int MaxContextLength = 200;

    /// <summary>The longest prompt accepted (a player's line, not a document).</summary>
    public const int MaxPromptLength = 2000;
}
