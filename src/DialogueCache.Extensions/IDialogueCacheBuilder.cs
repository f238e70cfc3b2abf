using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching;

/// <summary>
/// Returned by <c>AddDialogueCache</c>: the place where stores (<c>AddSqliteStore</c>, <c>AddRedisStore</c>)
/// and faces (<c>AsHybridCache</c>) attach to one cache.
/// </summary>
public interface IDialogueCacheBuilder
{
    /// <summary>The service collection the cache is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// The cache's name in dependency injection: <c>"default"</c> for the cache registered without a name
    /// (resolved as <see cref="IDialogueCache"/>), otherwise the service key of a named cache
    /// (<c>[FromKeyedServices("name")] IDialogueCache</c>). A store for this cache is registered as a keyed
    /// <see cref="IDialogueCacheStore"/> under this name; every cache is also a keyed
    /// <see cref="DialogueCache"/> under it.
    /// </summary>
    string Name { get; }
}
