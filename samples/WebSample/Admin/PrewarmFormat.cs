namespace WebSample.Admin;

/// <summary>The prewarm documents <c>POST /cache/prewarm</c> reads.</summary>
internal enum PrewarmFormat
{
    /// <summary>The cache's own format, a JSON object <c>{"key": "value"}</c>: what <c>GET /cache/export</c> writes.</summary>
    JsonObject,

    /// <summary>The cache's JSON Lines format: <c>{"key":..,"value":..,"ttlSeconds":..}</c> per line.</summary>
    JsonLines,

    /// <summary>The sample's NPC lines, a JSON array of <c>{character, context, prompt, response}</c> (as in prewarm.json).</summary>
    NpcLines,
}
