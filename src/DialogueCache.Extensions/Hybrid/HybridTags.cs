namespace Dialogue.Caching.Hybrid;

/// <summary>The tags given with an entry, checked as HybridCache checks them: none empty, none the wildcard.</summary>
internal static class HybridTags
{
    /// <summary>The tag that <c>RemoveByTagAsync</c> takes to mean every entry; reserved on entries.</summary>
    public const string Wildcard = "*";

    /// <summary>The distinct tags of an entry, in ordinal order (an empty array for none).</summary>
    /// <exception cref="ArgumentException">A tag is null, empty, white space or <c>"*"</c> (<c>ParamName</c> "tags").</exception>
    public static string[] Create(IEnumerable<string>? tags)
    {
        if (tags is null)
        {
            return [];
        }

        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("Tags cannot be null, empty or white space.", nameof(tags));
            }

            if (tag == Wildcard)
            {
                throw new ArgumentException($"The tag '{Wildcard}' is reserved (it means every entry in RemoveByTagAsync) and cannot be given to an entry.", nameof(tags));
            }

            set.Add(tag);
        }

        return set.Count == 0 ? [] : [.. set];
    }
}
