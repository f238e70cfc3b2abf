using System.Diagnostics.CodeAnalysis;

namespace Dialogue.Caching.Benchmarks.Peers;

/// <summary>
/// The two operations every workload needs, implemented by a struct per cache. The workload loops are generic
/// over <c>TAdapter : struct, ICacheAdapter</c>, so the JIT compiles one copy per cache with direct, inlinable
/// calls: no interface dispatch inside a measured loop, and no polymorphic call site shared by all caches
/// (which would add 1-3 ns to every peer and blur the ratios).
/// </summary>
internal interface ICacheAdapter : IDisposable
{
    /// <summary>A read as the cache's users write it; true on a hit.</summary>
    bool TryGet(string key, [MaybeNullWhen(false)] out string value);

    /// <summary>An insert or replace with the cache's default lifetime.</summary>
    void Set(string key, string value);
}
