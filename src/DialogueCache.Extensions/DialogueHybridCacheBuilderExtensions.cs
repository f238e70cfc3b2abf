using Dialogue.Caching;
using Dialogue.Caching.Hybrid;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="HybridCache"/> backed by a <see cref="DialogueCache"/>.</summary>
public static class DialogueHybridCacheBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="HybridCache"/> backed by the builder's cache: its memory tier is the local cache, its
    /// store (SQLite, Redis), if any, the distributed cache; reads count in its analytics and metrics. The face is a
    /// singleton, keyed by the cache's name and, unless a <see cref="HybridCache"/> is registered already (Microsoft's
    /// <c>AddHybridCache()</c>, or another cache's face), also the unkeyed <see cref="HybridCache"/>.
    /// </summary>
    /// <param name="builder">The cache's builder (<c>services.AddDialogueCache()</c>).</param>
    /// <param name="configure">Sets the face's options; validated when the host starts.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IDialogueCacheBuilder AsHybridCache(this IDialogueCacheBuilder builder, Action<DialogueHybridCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var name = builder.Name;
        var optionsName = DialogueCacheServiceCollectionExtensions.OptionsName(name);

        services.AddOptions<DialogueHybridCacheOptions>(optionsName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DialogueHybridCacheOptions>, DialogueHybridCacheOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(optionsName, configure);
        }

        services.TryAddKeyedSingleton<HybridCache>(name, (sp, _) => new DialogueHybridCache(
            sp.GetRequiredKeyedService<DialogueCache>(name),
            sp.GetRequiredService<IOptionsMonitor<DialogueHybridCacheOptions>>().Get(optionsName),
            sp,
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<HybridCache>(name));
        return builder;
    }
}
