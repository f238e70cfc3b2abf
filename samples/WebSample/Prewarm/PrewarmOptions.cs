namespace WebSample.Prewarm;

/// <summary>What the sample loads into the cache at startup (<c>WebSample:Prewarm</c>).</summary>
internal sealed class PrewarmOptions
{
    /// <summary>The configuration section, below the sample's own (<c>WebSample</c>).</summary>
    public const string SectionName = "Prewarm";

    /// <summary>
    /// An NPC-lines file (a JSON array of <c>{character, context, prompt, response}</c>) loaded at startup, before the
    /// server takes traffic; relative to the content root. Default <c>prewarm.json</c>; empty for none. A missing or
    /// malformed file fails the start with the file, line and position. (Files in the cache's own format, such as an
    /// export from <c>GET /cache/export</c>, go in <c>DialogueCache:PrewarmFiles</c>.)
    /// </summary>
    public string? File { get; set; } = "prewarm.json";

    /// <summary>The largest document <c>POST /cache/prewarm</c> accepts, in bytes (default 64 MiB).</summary>
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;
}
