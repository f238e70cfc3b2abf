using Dialogue.Caching;
using Dialogue.Caching.Sqlite;
using Dialogue.Caching.Sqlite.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a SQLite file as the second tier of a cache registered with <c>AddDialogueCache</c>.</summary>
public static class SqliteDialogueCacheBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="SqliteDialogueCacheStore"/> as the cache's store (a keyed <see cref="IDialogueCacheStore"/>
    /// under <see cref="IDialogueCacheBuilder.Name"/>, unless one is registered already): memory misses read the
    /// file, writes reach it behind in batches or through, and the hosted service loads it back at startup and
    /// flushes it when the host stops. Options are named after the cache and validated when the host starts.
    /// </summary>
    /// <param name="builder">The cache's builder, from <c>AddDialogueCache</c>.</param>
    /// <param name="connectionString">
    /// A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>"Data Source=dialogue-cache.db"</c>; a
    /// relative path is relative to the application's content root when the host has one.
    /// </param>
    /// <param name="configure">Sets <see cref="SqliteStoreOptions"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, malformed or names no file.</exception>
    public static IDialogueCacheBuilder AddSqliteStore(this IDialogueCacheBuilder builder, string connectionString,
        Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        SqliteConnectionStrings.ValidateFile(connectionString, nameof(connectionString));

        var name = builder.Name;
        var optionsName = DialogueCacheServiceCollectionExtensions.OptionsName(name);
        var options = builder.Services.AddOptions<SqliteStoreOptions>(optionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        // The container owns the store: disposing the provider flushes pending writes and closes the file.
        builder.Services.TryAddKeyedSingleton<IDialogueCacheStore>(name, (services, _) => new SqliteDialogueCacheStore(
            SqliteConnectionStrings.ResolveRelativeTo(connectionString, services.GetService<IHostEnvironment>()?.ContentRootPath),
            services.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get(optionsName),
            services.GetService<ILoggerFactory>()));
        return builder;
    }
}
