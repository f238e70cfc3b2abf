using System.Diagnostics.Metrics;
using Dialogue.Caching;
using Dialogue.Caching.Hosting;
using Dialogue.Caching.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="DialogueCache"/> in an <see cref="IServiceCollection"/>.</summary>
public static class DialogueCacheServiceCollectionExtensions
{
    /// <summary>The name of the cache registered without a name.</summary>
    public const string DefaultCacheName = "default";

    /// <summary>
    /// Registers the default cache: <see cref="DialogueCache"/> and <see cref="IDialogueCache"/> as singletons
    /// (unless already registered), its hosted service (prewarm at startup, sweep of expired entries) and
    /// validation of its options when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options; called once, when the cache is built.</param>
    /// <returns>A builder to attach stores and faces to the cache.</returns>
    public static IDialogueCacheBuilder AddDialogueCache(this IServiceCollection services, Action<DialogueCacheOptions>? configure = null) =>
        AddDialogueCache(services, DefaultCacheName, configure);

    /// <summary>Registers the default cache with options bound from <paramref name="configuration"/> (e.g. the section <c>DialogueCache</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>A builder to attach stores and faces to the cache.</returns>
    public static IDialogueCacheBuilder AddDialogueCache(this IServiceCollection services, IConfiguration configuration) =>
        AddDialogueCache(services, DefaultCacheName, configuration);

    /// <summary>
    /// Registers a named cache, resolved as <c>[FromKeyedServices(name)] IDialogueCache</c>. Its metrics carry
    /// <c>cache.name</c> = <paramref name="name"/>. The name <c>"default"</c> is the unnamed cache.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The cache's name.</param>
    /// <param name="configure">Sets options; called once, when the cache is built.</param>
    /// <returns>A builder to attach stores and faces to the cache.</returns>
    public static IDialogueCacheBuilder AddDialogueCache(this IServiceCollection services, string name, Action<DialogueCacheOptions>? configure)
    {
        var builder = AddCore(services, name);
        if (configure is not null)
        {
            services.Configure(OptionsName(name), configure);
        }

        return builder;
    }

    /// <summary>Registers a named cache with options bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The cache's name.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>A builder to attach stores and faces to the cache.</returns>
    public static IDialogueCacheBuilder AddDialogueCache(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddCore(services, name);
        services.Configure<DialogueCacheOptions>(OptionsName(name), configuration);
        return builder;
    }

    /// <summary>The options name under which the cache called <paramref name="cacheName"/> keeps its <see cref="DialogueCacheOptions"/>.</summary>
    /// <param name="cacheName">The cache's name (<see cref="IDialogueCacheBuilder.Name"/>).</param>
    /// <returns><see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the default cache, else <paramref name="cacheName"/>.</returns>
    public static string OptionsName(string cacheName) =>
        cacheName == DefaultCacheName ? Options.Options.DefaultName : cacheName;

    private static DialogueCacheBuilder AddCore(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var optionsName = OptionsName(name);
        services.AddOptions<DialogueCacheOptions>(optionsName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DialogueCacheOptions>, DialogueCacheOptionsValidator>());

        if (services.Any(d => d.ImplementationInstance is DialogueCacheRegistration r && r.Name == name))
        {
            return new DialogueCacheBuilder(services, name);
        }

        services.AddSingleton(new DialogueCacheRegistration(name));
        if (optionsName != Options.Options.DefaultName)
        {
            // A named cache reports under its own name whatever the configuration says.
            services.PostConfigure<DialogueCacheOptions>(optionsName, o => o.Name = name);
        }

        Func<IServiceProvider, DialogueCache> resolve;
        if (name == DefaultCacheName)
        {
            // The default cache is the unkeyed singleton (whatever the user registered first wins), also
            // reachable under the key "default" so stores can resolve any cache by its builder's name.
            services.TryAddSingleton(sp => Create(sp, name, optionsName));
            services.TryAddSingleton<IDialogueCache>(sp => sp.GetRequiredService<DialogueCache>());
            services.TryAddKeyedSingleton(DefaultCacheName, (sp, _) => sp.GetRequiredService<DialogueCache>());
            services.TryAddKeyedSingleton(DefaultCacheName, (sp, _) => sp.GetRequiredService<IDialogueCache>());
            resolve = sp => sp.GetRequiredService<DialogueCache>();
        }
        else
        {
            services.TryAddKeyedSingleton(name, (sp, _) => Create(sp, name, optionsName));
            services.TryAddKeyedSingleton<IDialogueCache>(name, (sp, key) => sp.GetRequiredKeyedService<DialogueCache>(key));
            resolve = sp => sp.GetRequiredKeyedService<DialogueCache>(name);
        }

        services.AddSingleton<IHostedService>(sp => new DialogueCacheHostedService(
            resolve(sp),
            sp.GetRequiredService<IOptionsMonitor<DialogueCacheOptions>>().Get(optionsName),
            sp.GetService<IHostEnvironment>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));

        return new DialogueCacheBuilder(services, name);
    }

    // A store (AddSqliteStore, AddRedisStore) is registered under the cache's name.
    private static DialogueCache Create(IServiceProvider services, string name, string optionsName) => new(
        Options.Options.Create(services.GetRequiredService<IOptionsMonitor<DialogueCacheOptions>>().Get(optionsName)),
        services.GetService<TimeProvider>(),
        services.GetService<ILoggerFactory>(),
        services.GetService<IMeterFactory>(),
        services.GetKeyedService<IDialogueCacheStore>(name));
}
