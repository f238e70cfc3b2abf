namespace WebSample.Dialogue;

/// <summary>The answer of <c>POST /dialogue</c>.</summary>
/// <param name="Response">The character's line.</param>
/// <param name="Cached">Whether it came without a model call for this request (also the <c>X-Cache</c> header).</param>
/// <param name="LatencyMs">How long the line took to get, in milliseconds.</param>
internal sealed record DialogueReply(string Response, bool Cached, double LatencyMs);
