namespace Dialogue.Caching.AI.Internal;

/// <summary>What a request asked of the cache through <c>ChatOptions.AdditionalProperties["dialogue.cache"]</c>.</summary>
internal enum CacheMode
{
    /// <summary>Read the cache; on a miss call the model and store its response.</summary>
    Default,

    /// <summary>Neither read nor write: the request goes straight to the model.</summary>
    Bypass,

    /// <summary>Call the model without reading, and replace the entry with the new response.</summary>
    Refresh,
}
