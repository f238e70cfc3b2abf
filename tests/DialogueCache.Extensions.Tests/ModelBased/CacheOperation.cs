using System.Globalization;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>
/// One step of a generated scenario. Operations carry no values: a value is made from the key and the step's
/// index when the step runs (<c>"ab#17"</c>), so every value is unique, names its key, and a shrunk scenario
/// still runs. Every <see cref="object.ToString"/> reads like the call it makes, for failure reports.
/// </summary>
internal abstract record CacheOperation
{
    /// <summary>The value a step stores under <paramref name="key"/>: unique per step, and it names the key.</summary>
    public static string ValueFor(string key, int step, string kind = "#") => string.Create(CultureInfo.InvariantCulture, $"{key}{kind}{step}");

    protected static string Quote(string? text) => text is null ? "null" : $"\"{text}\"";

    protected static string Format(TimeSpan? ttl) => ttl is { } value ? Format(value) : "default";

    protected static string Format(TimeSpan span) => span.Ticks switch
    {
        < TimeSpan.TicksPerMillisecond => string.Create(CultureInfo.InvariantCulture, $"{span.Ticks} ticks"),
        < TimeSpan.TicksPerSecond => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds} s"),
    };
}

/// <summary><c>Set(key, value, ttl)</c>; a null <see cref="Ttl"/> takes the cache's default.</summary>
internal sealed record SetOperation(string Key, TimeSpan? Ttl) : CacheOperation
{
    public override string ToString() => $"Set({Quote(Key)}, ttl: {Format(Ttl)})";
}

/// <summary><c>Get(key)</c>.</summary>
internal sealed record GetOperation(string Key) : CacheOperation
{
    public override string ToString() => $"Get({Quote(Key)})";
}

/// <summary><c>TryGet(key, out value)</c>.</summary>
internal sealed record TryGetOperation(string Key) : CacheOperation
{
    public override string ToString() => $"TryGet({Quote(Key)})";
}

/// <summary>
/// <c>GetOrCreateAsync(key, factory, ttl)</c> with a factory that completes synchronously: it returns a value,
/// or, when <see cref="FactoryThrows"/>, throws.
/// </summary>
internal sealed record GetOrCreateOperation(string Key, TimeSpan? Ttl, bool FactoryThrows = false) : CacheOperation
{
    /// <summary>What the throwing factory throws.</summary>
    public const string FactoryError = "the model is down";

    public override string ToString() => $"GetOrCreateAsync({Quote(Key)}, ttl: {Format(Ttl)}{(FactoryThrows ? ", factory throws" : "")})";
}

/// <summary><c>Invalidate(key)</c>.</summary>
internal sealed record InvalidateOperation(string Key) : CacheOperation
{
    public override string ToString() => $"Invalidate({Quote(Key)})";
}

/// <summary><c>InvalidatePattern(pattern)</c> with a non-empty pattern.</summary>
internal sealed record InvalidatePatternOperation(string Pattern) : CacheOperation
{
    public override string ToString() => $"InvalidatePattern({Quote(Pattern)})";
}

/// <summary><c>Clear()</c>.</summary>
internal sealed record ClearOperation : CacheOperation
{
    public override string ToString() => "Clear()";
}

/// <summary><c>Prewarm(items)</c>: one item per key, in order; a key may repeat (the later one wins).</summary>
internal sealed record PrewarmOperation(IReadOnlyList<string> Keys) : CacheOperation
{
    public override string ToString() => $"Prewarm([{string.Join(", ", Keys.Select(Quote))}])";
}

/// <summary><c>RemoveExpired()</c>.</summary>
internal sealed record RemoveExpiredOperation : CacheOperation
{
    public override string ToString() => "RemoveExpired()";
}

/// <summary>Moves the fake clock forward.</summary>
internal sealed record AdvanceOperation(TimeSpan By) : CacheOperation
{
    public override string ToString() => $"Advance({Format(By)})";
}

/// <summary>
/// Moves the fake clock to the expiry of the live entry for <see cref="Key"/> (the earliest live expiry when
/// null), plus <see cref="OffsetTicks"/> (-1, 0 or +1): just before, exactly at, or just after the boundary.
/// When there is no such entry in the future it advances one second.
/// </summary>
internal sealed record AdvanceToExpiryOperation(string? Key, long OffsetTicks) : CacheOperation
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"AdvanceToExpiry({Quote(Key)}, {OffsetTicks:+0;-0;0} ticks)");
}

/// <summary>Many <c>Get</c> calls in a row (more than a read-buffer stripe holds), with no write between them.</summary>
internal sealed record ReadBurstOperation(IReadOnlyList<string> Keys) : CacheOperation
{
    public override string ToString() => $"ReadBurst({Keys.Count} reads: {string.Join(" ", Keys)})";
}

/// <summary><c>Get</c> of every key of the alphabet, in order: shows the whole live content.</summary>
internal sealed record ProbeAllOperation : CacheOperation
{
    public override string ToString() => "ProbeAll()";
}

/// <summary>A call with bad input: it must throw an <see cref="ArgumentException"/> and change and count nothing.</summary>
internal sealed record RefusedOperation(RefusedCall Call, string Key) : CacheOperation
{
    public override string ToString() => $"Refused {Call}({Quote(Key)})";
}

/// <summary>The kinds of bad input <see cref="RefusedOperation"/> makes.</summary>
internal enum RefusedCall
{
    GetEmptyKey,
    TryGetEmptyKey,
    SetEmptyKey,
    SetNullValue,
    SetZeroTtl,
    SetNegativeTtl,
    GetOrCreateZeroTtl,
    GetOrCreateEmptyKey,
    InvalidateEmptyKey,
    InvalidatePatternEmpty,
    PrewarmWithEmptyKey,
    PrewarmWithNullValue,
}
