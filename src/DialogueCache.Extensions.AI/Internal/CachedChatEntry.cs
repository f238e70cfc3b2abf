namespace Dialogue.Caching.AI.Internal;

/// <summary>What one cache entry holds: up to <c>Variants</c> distinct responses to one request.</summary>
internal sealed class CachedChatEntry
{
    public CachedChatEntry(int fills, IReadOnlyList<CachedChatVariant> variants)
    {
        Fills = fills;
        Variants = variants;
    }

    /// <summary>Model calls that tried to add a variant (a response equal to a stored one adds none).</summary>
    public int Fills { get; }

    public IReadOnlyList<CachedChatVariant> Variants { get; }
}
