namespace WebSample.Model;

/// <summary>Which chat model answers on a cache miss.</summary>
internal enum ChatModelProvider
{
    /// <summary>The built-in simulated NPC model: deterministic replies after a fixed latency, no API key.</summary>
    Simulated,

    /// <summary>OpenAI, or any server that speaks its chat-completions API (set <see cref="OpenAIModelOptions.Endpoint"/>).</summary>
    OpenAI,
}
