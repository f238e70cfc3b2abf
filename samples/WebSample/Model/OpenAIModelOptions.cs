namespace WebSample.Model;

/// <summary>Settings of the OpenAI provider (<c>WebSample:Model:OpenAI</c>); used when <c>Provider</c> is <c>OpenAI</c>.</summary>
internal sealed class OpenAIModelOptions
{
    /// <summary>The API key; required for the OpenAI provider. Keep it out of files: user secrets or the environment (<c>WebSample__Model__OpenAI__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model (default <c>gpt-4o-mini</c>).</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Another server with the same API (Azure OpenAI's v1 endpoint, a local Ollama or vLLM at <c>http://127.0.0.1:11434/v1</c>); OpenAI's own when not set.</summary>
    public Uri? Endpoint { get; set; }
}
