using Dialogue.Caching;
using Dialogue.Caching.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="DialogueCachingChatClient"/> to a chat client pipeline.</summary>
public static class DialogueCachingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="DialogueCachingChatClient"/> to the pipeline: responses of the clients after it are cached in
    /// <paramref name="cache"/>, or in the <see cref="IDialogueCache"/> registered with <c>services.AddDialogueCache()</c>.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="cache">Where responses are stored; when <see langword="null"/>, the <see cref="IDialogueCache"/> from the
    /// pipeline's service provider.</param>
    /// <param name="configure">Sets the client's options (<see cref="DialogueCachingChatClient.Variants"/>,
    /// <see cref="DialogueCachingChatClient.KeySelector"/>, ...) when the pipeline is built.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: no <paramref name="cache"/> was given and none
    /// is registered.</exception>
    /// <remarks>The latency clock is the <see cref="TimeProvider"/> registered in the service provider, if any.</remarks>
    public static ChatClientBuilder UseDialogueCache(this ChatClientBuilder builder, IDialogueCache? cache = null,
        Action<DialogueCachingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerClient, services) =>
        {
            var store = cache ?? services.GetService<IDialogueCache>() ?? throw new InvalidOperationException(
                "UseDialogueCache() found no IDialogueCache: register one with builder.Services.AddDialogueCache(), " +
                "or pass a cache to UseDialogueCache(cache).");
            var client = new DialogueCachingChatClient(innerClient, store, services.GetService<TimeProvider>());
            configure?.Invoke(client);
            return client;
        });
    }
}
