namespace Dialogue.Caching.Redis.Internal;

/// <summary>The invalidation counters a read saw when it started.</summary>
internal readonly record struct EpochStamp(int Index, long All, long Stripe);
