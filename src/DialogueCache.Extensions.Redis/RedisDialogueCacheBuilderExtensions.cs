using Dialogue.Caching;
using Dialogue.Caching.Redis;
using Dialogue.Caching.Redis.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts Redis behind a cache: a second tier shared by many servers, and an invalidation backplane between them.</summary>
public static class RedisDialogueCacheBuilderExtensions
{
    /// <summary>
    /// Adds a Redis store to the cache: a memory miss reads Redis (and fills memory with the entry's remaining
    /// time-to-live); <c>Set</c>, <c>Invalidate</c>, <c>InvalidatePattern</c> and <c>Clear</c> reach Redis and,
    /// through pub/sub, drop the stale memory copies of every other server using the same Redis and key prefix.
    /// While Redis is down, calls do not fail: the memory tier serves, failures count in
    /// <c>cache.store.errors</c>, and the store reconnects by itself.
    /// </summary>
    /// <param name="builder">The cache's builder (from <c>AddDialogueCache</c>).</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, e.g. <c>"127.0.0.1:6379"</c> or <c>"host:6380,password=...,ssl=true"</c>.</param>
    /// <param name="configure">Sets further options (key prefix, timeouts, circuit breaker, TLS callbacks); validated when the host starts.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or not a valid configuration string.</exception>
    /// <remarks>
    /// The store is registered as the keyed <see cref="IDialogueCacheStore"/> of the cache's name, unless one is
    /// registered already (what the user registered first wins). Its options are the named
    /// <see cref="RedisStoreOptions"/> of the cache (<c>DialogueCacheServiceCollectionExtensions.OptionsName</c>).
    /// </remarks>
    public static IDialogueCacheBuilder AddRedisStore(this IDialogueCacheBuilder builder, string configuration, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        if (RedisStoreOptionsValidator.ParseError(configuration) is { } error)
        {
            throw new ArgumentException($"Not a valid StackExchange.Redis configuration string: {error}", nameof(configuration));
        }

        var cacheName = builder.Name;
        var optionsName = DialogueCacheServiceCollectionExtensions.OptionsName(cacheName);
        var services = builder.Services;
        services.AddOptions<RedisStoreOptions>(optionsName)
            .Configure(options => options.Configuration = configuration)
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(optionsName, configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidator>());
        services.TryAddKeyedSingleton<IDialogueCacheStore>(cacheName, (provider, _) => new RedisDialogueCacheStore(
            provider.GetRequiredService<IOptionsMonitor<RedisStoreOptions>>().Get(optionsName),
            provider.GetService<ILoggerFactory>()));
        return builder;
    }
}
