using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>
/// Runs a <see cref="CacheScenario"/> on a real <see cref="DialogueCache"/> and on the <see cref="ReferenceCache"/>
/// side by side, on one thread, with one <see cref="FakeTimeProvider"/> as the clock of both. After every step
/// the call's result and every reported counter must match the model; the run ends with a read of every key,
/// which shows the whole live content. Where the model has open choices (which expired entry a full cache drops)
/// it follows all of them and keeps the states that match what the cache showed.
/// </summary>
internal static class ScenarioRunner
{
    private const string Refused = "refused (ArgumentException)";
    private const string FactoryFailed = "threw the factory's exception";
    private const int TraceLines = 40;

    // Enough for every combination of expired entries a capacity of 8 can drop; more means a runaway model.
    private const int MaxStates = 5_000;

    public static void Run(CacheScenario scenario)
    {
        var time = new FakeTimeProvider();
        var options = new DialogueCacheOptions { MaxSize = scenario.MaxSize, Ttl = scenario.Ttl, TopKeysCount = scenario.TopKeysCount };
        using var cache = new DialogueCache(options, time);
        var states = new List<ReferenceCache> { new(scenario.MaxSize, scenario.Ttl, scenario.TopKeysCount) };
        var trace = new List<string>();

        var steps = scenario.Operations.Append(new ProbeAllOperation()).ToList();
        for (var step = 0; step < steps.Count; step++)
        {
            var operation = steps[step];
            var label = step < scenario.Operations.Count ? step.ToString(CultureInfo.InvariantCulture) : "final";
            var now = time.GetUtcNow();
            if (TimeStep(operation, states[0], now) is { } advance)
            {
                time.Advance(advance);
                trace.Add($"{label}: {operation} -> +{advance.Ticks} ticks");
                continue;
            }

            var actual = Observation.Of(cache, Execute(cache, operation, step));
            var outcomes = new List<(ReferenceCache State, Observation Expected)>();
            foreach (var state in states)
            {
                IReadOnlyList<int>? prefix = [];
                while (prefix is not null)
                {
                    var next = state.Clone();
                    var choice = new ChoiceSequence(prefix);
                    var result = Execute(next, operation, step, now, choice);
                    outcomes.Add((next, Observation.Of(next, result)));
                    prefix = choice.Next();
                }
            }

            trace.Add($"{label}: {operation} -> {actual.Result}");
            var matching = outcomes.Where(o => o.Expected == actual).Select(o => o.State)
                .DistinctBy(s => s.Fingerprint()).ToList();
            if (matching.Count == 0)
            {
                throw new ModelMismatchException(Report(scenario, label, operation, actual, states[0], outcomes, now, trace));
            }

            if (matching.Count > MaxStates)
            {
                throw new ModelMismatchException($"The model's open choices grew past {MaxStates} states at step {label}.");
            }

            states = matching;
        }
    }

    // Time steps change nothing but the clock: how far to move it.
    private static TimeSpan? TimeStep(CacheOperation operation, ReferenceCache model, DateTimeOffset now)
    {
        switch (operation)
        {
            case AdvanceOperation advance:
                return advance.By;
            case AdvanceToExpiryOperation toExpiry:
                var live = model.LiveEntries(now).Where(e => toExpiry.Key is null || e.Key == toExpiry.Key).ToList();
                if (live.Count > 0)
                {
                    var target = live.Min(e => e.ExpiresAt).AddTicks(toExpiry.OffsetTicks);
                    if (target > now)
                    {
                        return target - now;
                    }
                }

                return TimeSpan.FromSeconds(1);
            default:
                return null;
        }
    }

    private static string Execute(DialogueCache cache, CacheOperation operation, int step)
    {
        try
        {
            return operation switch
            {
                SetOperation set => Done(() => cache.Set(set.Key, CacheOperation.ValueFor(set.Key, step), set.Ttl)),
                GetOperation get => Show(cache.Get(get.Key)),
                TryGetOperation tryGet => cache.TryGet(tryGet.Key, out var value) ? $"true, {Show(value)}" : $"false, {Show(value)}",
                GetOrCreateOperation create => GetOrCreate(cache, create, step),
                InvalidateOperation invalidate => Show(cache.Invalidate(invalidate.Key)),
                InvalidatePatternOperation pattern => Show(cache.InvalidatePattern(pattern.Pattern)),
                ClearOperation => Done(cache.Clear),
                PrewarmOperation prewarm => Show(cache.Prewarm(PrewarmItems(prewarm, step))),
                RemoveExpiredOperation => Show(cache.RemoveExpired()),
                ReadBurstOperation burst => string.Join(" ", burst.Keys.Select(k => Show(cache.Get(k)))),
                ProbeAllOperation => string.Join(" ", ScenarioGenerator.Keys.Select(k => Show(cache.Get(k)))),
                RefusedOperation refused => Refuse(cache, refused, step),
                _ => throw new InvalidOperationException($"No cache call for {operation}."),
            };
        }
        catch (Exception exception) when (operation is not RefusedOperation)
        {
            return $"threw {exception.GetType().Name}: {exception.Message}";
        }
    }

    private static string Execute(ReferenceCache model, CacheOperation operation, int step, DateTimeOffset now, ReferenceCache.IChoice choice) => operation switch
    {
        SetOperation set => Done(() => model.Set(set.Key, CacheOperation.ValueFor(set.Key, step), set.Ttl ?? model.DefaultTtl, now, choice)),
        GetOperation get => Show(model.Read(get.Key, now)),
        TryGetOperation tryGet => model.Read(tryGet.Key, now) is { } value ? $"true, {Show(value)}" : $"false, {Show(null)}",
        GetOrCreateOperation create => model.GetOrCreate(create.Key, create.Ttl, create.FactoryThrows ? null : CacheOperation.ValueFor(create.Key, step, "@"), now, choice)
            ?? FactoryFailed,
        InvalidateOperation invalidate => Show(model.Invalidate(invalidate.Key)),
        InvalidatePatternOperation pattern => Show(model.InvalidatePattern(pattern.Pattern)),
        ClearOperation => Done(model.Clear),
        PrewarmOperation prewarm => Show(model.Prewarm(PrewarmItems(prewarm, step), now, choice)),
        RemoveExpiredOperation => Show(model.RemoveExpired(now)),
        ReadBurstOperation burst => string.Join(" ", burst.Keys.Select(k => Show(model.Read(k, now)))),
        ProbeAllOperation => string.Join(" ", ScenarioGenerator.Keys.Select(k => Show(model.Read(k, now)))),
        RefusedOperation => Refused,
        _ => throw new InvalidOperationException($"No model call for {operation}."),
    };

    private static string GetOrCreate(DialogueCache cache, GetOrCreateOperation create, int step)
    {
        var pending = cache.GetOrCreateAsync(create.Key, (key, _) => create.FactoryThrows
            ? throw new InvalidOperationException(GetOrCreateOperation.FactoryError)
            : ValueTask.FromResult(CacheOperation.ValueFor(key, step, "@")), create.Ttl);
        try
        {
            // The factory completes synchronously, so the whole call normally does; wait if it did not.
            return Show(pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult());
        }
        catch (InvalidOperationException exception) when (exception.Message == GetOrCreateOperation.FactoryError)
        {
            return FactoryFailed;
        }
    }

    private static List<KeyValuePair<string, string>> PrewarmItems(PrewarmOperation prewarm, int step) =>
        prewarm.Keys.Select((key, i) => KeyValuePair.Create(key, CacheOperation.ValueFor(key, step, $"~{i}~"))).ToList();

    private static string Refuse(DialogueCache cache, RefusedOperation refused, int step)
    {
        var key = refused.Key;
        var value = CacheOperation.ValueFor(key, step);
        Action call = refused.Call switch
        {
            RefusedCall.GetEmptyKey => () => cache.Get(""),
            RefusedCall.TryGetEmptyKey => () => cache.TryGet("", out _),
            RefusedCall.SetEmptyKey => () => cache.Set("", value),
            RefusedCall.SetNullValue => () => cache.Set(key, null!),
            RefusedCall.SetZeroTtl => () => cache.Set(key, value, TimeSpan.Zero),
            RefusedCall.SetNegativeTtl => () => cache.Set(key, value, TimeSpan.FromSeconds(-1)),
            RefusedCall.GetOrCreateZeroTtl => () => cache.GetOrCreateAsync(key, (k, _) => ValueTask.FromResult(k), TimeSpan.Zero).AsTask().GetAwaiter().GetResult(),
            RefusedCall.GetOrCreateEmptyKey => () => cache.GetOrCreateAsync("", (k, _) => ValueTask.FromResult(k)).AsTask().GetAwaiter().GetResult(),
            RefusedCall.InvalidateEmptyKey => () => cache.Invalidate(""),
            RefusedCall.InvalidatePatternEmpty => () => cache.InvalidatePattern(""),
            RefusedCall.PrewarmWithEmptyKey => () => cache.Prewarm([KeyValuePair.Create(key, value), KeyValuePair.Create("", value)]),
            RefusedCall.PrewarmWithNullValue => () => cache.Prewarm([KeyValuePair.Create(key, value), KeyValuePair.Create("zz", (string)null!)]),
            _ => throw new InvalidOperationException($"Unknown refused call {refused.Call}."),
        };

        try
        {
            call();
            return "accepted (no exception)";
        }
        catch (ArgumentException)
        {
            return Refused;
        }
        catch (Exception exception)
        {
            return $"threw {exception.GetType().Name}: {exception.Message}";
        }
    }

    private static string Done(Action action)
    {
        action();
        return "done";
    }

    private static string Show(string? value) => value ?? "null";

    private static string Show(bool value) => value ? "true" : "false";

    private static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Report(CacheScenario scenario, string label, CacheOperation operation, Observation actual, ReferenceCache before,
        List<(ReferenceCache State, Observation Expected)> outcomes, DateTimeOffset now, List<string> trace)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"DialogueCache differs from the reference model at step {label}: {operation}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  (MaxSize={scenario.MaxSize}, Ttl={scenario.Ttl}, TopKeysCount={scenario.TopKeysCount})");

        // Show the allowed outcome closest to what happened.
        var closest = outcomes.OrderBy(o => o.Expected.Differences(actual).Count()).First();
        foreach (var difference in closest.Expected.Differences(actual))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {difference}");
        }

        if (outcomes.Count > 1)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ({outcomes.Count} outcomes were allowed; this is the closest)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  actual:   {actual}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  expected: {closest.Expected}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  model before the step (least recently used first): {before.Describe(now)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  model after the step (least recently used first): {closest.State.Describe(now)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Last steps ({Math.Min(trace.Count, TraceLines)} of {trace.Count}):");
        foreach (var line in trace.TakeLast(TraceLines))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }

        return text.ToString();
    }
}

/// <summary>The cache did something the reference model does not allow.</summary>
#pragma warning disable CA1064 // Internal test exception
internal sealed class ModelMismatchException(string message) : Exception(message);
#pragma warning restore CA1064
