using FsCheck;
using FsCheck.Fluent;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>
/// FsCheck generation and shrinking of <see cref="CacheScenario"/>s. Keys come from a small alphabet whose
/// keys share substrings, so patterns match several keys, capacities from 1 to 8 force evictions, and few
/// distinct keys keep the top-keys summary exact.
/// </summary>
internal static class ScenarioGenerator
{
    /// <summary>Every key a scenario uses (12 keys; a capacity of 16 never evicts).</summary>
    public static readonly IReadOnlyList<string> Keys = ["a", "b", "c", "ab", "ba", "bc", "ca", "abc", "cab", "bca", "aa", "cc"];

    private static readonly int[] MaxSizes = [1, 2, 3, 5, 8, 16];
    private static readonly int[] TopKeysCounts = [0, 1, 3, 10];
    private static readonly TimeSpan[] DefaultTtls = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)];

    private static readonly TimeSpan[] Ttls =
    [
        TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromHours(1),
    ];

    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(999), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1),
    ];

    public static Arbitrary<CacheScenario> Scenarios() => Arb.From(Scenario(), Shrink);

    private static Gen<CacheScenario> Scenario() =>
        from maxSize in Gen.Elements(MaxSizes)
        from ttl in Gen.Elements(DefaultTtls)
        from topKeys in Gen.Elements(TopKeysCounts)
        from length in Gen.Choose(50, 300)
        from operations in Operation().ArrayOf(length)
        select new CacheScenario(maxSize, ttl, topKeys, operations);

    private static Gen<CacheOperation> Operation()
    {
        var key = Gen.Elements<string>(Keys);
        var ttl = Gen.Elements(Ttls).Select(t => (TimeSpan?)t);
        var pattern =
            from k in key
            from start in Gen.Choose(0, k.Length - 1)
            from length in Gen.Choose(1, k.Length - start)
            select k.Substring(start, length);

        return Gen.Frequency(
            (12, key.Select(k => (CacheOperation)new SetOperation(k, null))),
            (8, key.Zip(ttl).Select(p => (CacheOperation)new SetOperation(p.Item1, p.Item2))),
            (14, key.Select(k => (CacheOperation)new GetOperation(k))),
            (5, key.Select(k => (CacheOperation)new TryGetOperation(k))),
            (5, key.Select(k => (CacheOperation)new GetOrCreateOperation(k, null))),
            (3, key.Zip(ttl).Select(p => (CacheOperation)new GetOrCreateOperation(p.Item1, p.Item2))),
            (1, key.Select(k => (CacheOperation)new GetOrCreateOperation(k, null, FactoryThrows: true))),
            (5, key.Select(k => (CacheOperation)new InvalidateOperation(k))),
            (4, pattern.Select(p => (CacheOperation)new InvalidatePatternOperation(p))),
            (1, Gen.Constant((CacheOperation)new ClearOperation())),
            (3, Gen.Choose(1, 5).SelectMany(n => key.ArrayOf(n)).Select(ks => (CacheOperation)new PrewarmOperation(ks))),
            (3, Gen.Constant((CacheOperation)new RemoveExpiredOperation())),
            (8, Gen.Elements(Steps).Select(s => (CacheOperation)new AdvanceOperation(s))),
            (6, Gen.Elements<string?>([.. Keys, null]).Zip(Gen.Choose(-1, 1))
                .Select(p => (CacheOperation)new AdvanceToExpiryOperation(p.Item1, p.Item2))),
            (1, Gen.Choose(65, 140).SelectMany(n => key.ArrayOf(n)).Select(ks => (CacheOperation)new ReadBurstOperation(ks))),
            (2, Gen.Constant((CacheOperation)new ProbeAllOperation())),
            (1, Gen.Elements(Enum.GetValues<RefusedCall>()).Zip(key).Select(p => (CacheOperation)new RefusedOperation(p.Item1, p.Item2))));
    }

    // Drop runs of operations (halves first, then smaller runs, then single operations), then try smaller
    // capacities: FsCheck keeps any candidate that still fails and shrinks it again.
    private static IEnumerable<CacheScenario> Shrink(CacheScenario scenario)
    {
        var operations = scenario.Operations;
        for (var run = operations.Count / 2; run >= 1; run /= 2)
        {
            for (var start = 0; start + run <= operations.Count; start += run)
            {
                yield return scenario with { Operations = [.. operations.Take(start), .. operations.Skip(start + run)] };
            }
        }

        for (var i = 0; i < operations.Count; i++)
        {
            if (Simpler(operations[i]) is { } simpler)
            {
                yield return scenario with { Operations = [.. operations.Take(i), simpler, .. operations.Skip(i + 1)] };
            }
        }

        foreach (var maxSize in MaxSizes.Where(m => m < scenario.MaxSize))
        {
            yield return scenario with { MaxSize = maxSize };
        }
    }

    private static CacheOperation? Simpler(CacheOperation operation) => operation switch
    {
        SetOperation { Ttl: not null } set => set with { Ttl = null },
        GetOrCreateOperation { Ttl: not null } create => create with { Ttl = null },
        PrewarmOperation { Keys.Count: > 1 } prewarm => new PrewarmOperation([.. prewarm.Keys.Skip(1)]),
        ReadBurstOperation { Keys.Count: > 1 } burst => new ReadBurstOperation([.. burst.Keys.Take(burst.Keys.Count / 2)]),
        _ => null,
    };
}
