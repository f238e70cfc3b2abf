namespace WebSample.Admin;

/// <summary>The body of a successful <c>POST /cache/prewarm</c>.</summary>
/// <param name="Stored">How many entries were stored.</param>
/// <param name="Format">How the document was read: <c>json-object</c>, <c>json-lines</c> or <c>npc-lines</c>.</param>
internal sealed record PrewarmResult(int Stored, string Format);
