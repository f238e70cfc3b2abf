namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>
/// Enumerates every way of resolving the model's open choices during one operation: replay the operation with
/// a prefix of fixed picks (later choices take option 0), then move to the next prefix, depth first, until
/// every combination has been tried.
/// </summary>
internal sealed class ChoiceSequence : ReferenceCache.IChoice
{
    private readonly IReadOnlyList<int> _prefix;
    private readonly List<(int Pick, int Options)> _made = [];

    public ChoiceSequence(IReadOnlyList<int> prefix)
    {
        _prefix = prefix;
    }

    public int Choose(int options)
    {
        var pick = _made.Count < _prefix.Count ? _prefix[_made.Count] : 0;
        _made.Add((pick, options));
        return pick;
    }

    /// <summary>The prefix that resolves the choices differently from this run, or null when none is left.</summary>
    public IReadOnlyList<int>? Next()
    {
        for (var i = _made.Count - 1; i >= 0; i--)
        {
            if (_made[i].Pick + 1 < _made[i].Options)
            {
                var next = _made.Take(i).Select(m => m.Pick).ToList();
                next.Add(_made[i].Pick + 1);
                return next;
            }
        }

        return null;
    }
}
