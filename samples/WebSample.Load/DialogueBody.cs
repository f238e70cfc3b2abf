namespace WebSample.Load;

/// <summary>The body of a <c>POST /dialogue</c>, as the load run sends it.</summary>
internal sealed record DialogueBody(string Character, string Context, string Prompt);
