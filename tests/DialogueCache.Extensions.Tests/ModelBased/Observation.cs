using System.Globalization;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>What a step shows from outside: the call's result, then every counter <see cref="DialogueCache"/> reports.</summary>
internal sealed record Observation(
    string Result,
    int Count,
    int CurrentSize,
    long Hits,
    long Misses,
    double HitRatio,
    DialogueCacheEvictions Evictions,
    string TopKeys,
    long FactoryCalls,
    long CoalescedCalls)
{
    public static Observation Of(DialogueCache cache, string result)
    {
        var count = cache.Count;
        var analytics = cache.Analytics();
        return new Observation(result, count, analytics.CurrentSize, analytics.Hits, analytics.Misses, analytics.HitRatio,
            analytics.Evictions, Format(analytics.MostFrequentlyRequested), analytics.FactoryCalls, analytics.CoalescedCalls);
    }

    public static Observation Of(ReferenceCache model, string result) =>
        new(result, model.Count, model.Count, model.Hits, model.Misses, model.HitRatio,
            new DialogueCacheEvictions(model.CapacityEvictions, model.ExpiredEvictions, model.RemovedEvictions, model.ClearedEvictions),
            Format(model.TopKeys()), model.FactoryCalls, CoalescedCalls: 0);

    /// <summary>The fields that differ, as "name: expected X, actual Y" lines.</summary>
    public IEnumerable<string> Differences(Observation actual)
    {
        foreach (var (name, expected, got) in Fields(this).Zip(Fields(actual), (e, a) => (e.Name, e.Value, a.Value)))
        {
            if (expected != got)
            {
                yield return $"{name}: expected {expected}, actual {got}";
            }
        }
    }

    public override string ToString() => string.Join(", ", Fields(this).Select(f => $"{f.Name}={f.Value}"));

    private static string Format(IReadOnlyList<KeyFrequency> topKeys) =>
        "[" + string.Join(", ", topKeys.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key}:{k.Count}"))) + "]";

    private static IEnumerable<(string Name, string Value)> Fields(Observation o)
    {
        yield return ("result", o.Result);
        yield return ("Count", o.Count.ToString(CultureInfo.InvariantCulture));
        yield return ("CurrentSize", o.CurrentSize.ToString(CultureInfo.InvariantCulture));
        yield return ("Hits", o.Hits.ToString(CultureInfo.InvariantCulture));
        yield return ("Misses", o.Misses.ToString(CultureInfo.InvariantCulture));
        yield return ("HitRatio", o.HitRatio.ToString("R", CultureInfo.InvariantCulture));
        yield return ("Evictions", o.Evictions.ToString());
        yield return ("TopKeys", o.TopKeys);
        yield return ("FactoryCalls", o.FactoryCalls.ToString(CultureInfo.InvariantCulture));
        yield return ("CoalescedCalls", o.CoalescedCalls.ToString(CultureInfo.InvariantCulture));
    }
}
