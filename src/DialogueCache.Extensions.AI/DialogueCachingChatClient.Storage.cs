using Dialogue.Caching.AI.Internal;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI;

/// <summary>The <see cref="CachingChatClient"/> contract: keys, the caching decision, and entry reads and writes.</summary>
public sealed partial class DialogueCachingChatClient
{
    /// <summary>
    /// Computes the key of a request: <see cref="DialogueKey.Create(string, string, string)"/> with the request's
    /// character and context and a canonical text of the model id, the output-changing options, the normalized
    /// conversation, <paramref name="additionalValues"/> and the cache-format version. Streaming and non-streaming
    /// requests share keys: a response stored by either is served to both.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">The request's options.</param>
    /// <param name="additionalValues">More values that must change the key (serialized as JSON).</param>
    /// <returns>The key, starting with the character segment (<see cref="DialogueKey.CharacterPattern(string)"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A message is null, or a <c>dialogue.character</c>/<c>dialogue.context</c>
    /// value is not a string (or the character is empty).</exception>
    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as List<ChatMessage> ?? [.. messages];
        ThrowIfAnyNull(list);

        var (character, context) = ResolveScope(list, options);
        var prompt = CanonicalPrompt.Create(list, options, options?.ModelId ?? _defaultModelId, additionalValues, _serializer.Options);
        return DialogueKey.Create(character, context, prompt);
    }

    /// <summary>
    /// Whether a request may be served from and stored in the cache: not when it has a
    /// <see cref="ChatOptions.ConversationId"/> (the service holds state the key cannot see) unless
    /// <see cref="CacheConversationRequests"/>, not when it has a <see cref="ChatOptions.ContinuationToken"/>, and not
    /// in the middle of a tool-call loop unless <see cref="CacheToolCallsInFlight"/>.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">The request's options.</param>
    /// <returns><see langword="true"/> when the cache is used.</returns>
    protected override bool EnableCaching(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        (CacheConversationRequests || base.EnableCaching(messages, options))
        && options?.ContinuationToken is null
        && (CacheToolCallsInFlight || !HasToolCallsInFlight(messages));

    /// <summary>
    /// Reads the entry under <paramref name="key"/> and returns one of its responses (at random among
    /// <see cref="Variants"/>), or <see langword="null"/> when there is none. Counts a hit or a miss; records no savings
    /// (the request flow does, with the latency it stored).
    /// </summary>
    /// <param name="key">The key (<see cref="GetCacheKey"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A new copy of a stored response, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    protected override Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        var serializer = _serializer;
        var entry = ReadEntry(key);
        return Task.FromResult(entry is not null && TryRead(() => serializer.ToResponse(ChooseVariant(entry)), out var response)
            ? response
            : null);
    }

    /// <summary>
    /// Reads the entry under <paramref name="key"/> and returns one of its responses as streaming updates, or
    /// <see langword="null"/> when there is none. Entries are shared with <see cref="ReadCacheAsync"/>.
    /// </summary>
    /// <param name="key">The key (<see cref="GetCacheKey"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>New copies of the stored updates, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    protected override Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        var serializer = _serializer;
        var entry = ReadEntry(key);
        return Task.FromResult(entry is not null && TryRead(() => serializer.ToUpdates(ChooseVariant(entry)), out var updates)
            ? updates
            : null);
    }

    /// <summary>
    /// Stores <paramref name="value"/> as the only response under <paramref name="key"/> (replacing any variants),
    /// with <see cref="Ttl"/> and no recorded latency. <see cref="StorePredicate"/> is not consulted: this is an
    /// explicit write.
    /// </summary>
    /// <param name="key">The key (<see cref="GetCacheKey"/>).</param>
    /// <param name="value">The response.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        var serializer = _serializer;
        Cache.Set(key, ChatEntrySerializer.Serialize(new CachedChatEntry(1, [serializer.CreateVariant(value, updates: null, TimeSpan.Zero)])), _ttl);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores <paramref name="value"/>, the updates of one streamed response, as the only response under
    /// <paramref name="key"/> (replacing any variants), with <see cref="Ttl"/> and no recorded latency.
    /// </summary>
    /// <param name="key">The key (<see cref="GetCacheKey"/>).</param>
    /// <param name="value">The updates, in order.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        var serializer = _serializer;
        var response = value.ToChatResponse();
        var updates = CoalesceStreamingUpdates ? null : value;
        Cache.Set(key, ChatEntrySerializer.Serialize(new CachedChatEntry(1, [serializer.CreateVariant(response, updates, TimeSpan.Zero)])), _ttl);
        return Task.CompletedTask;
    }

    // A tool-call loop is in flight when anything after the last user message is a function call, a function result
    // or a tool message: the model is working with live tool output.
    private static bool HasToolCallsInFlight(IEnumerable<ChatMessage> messages)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var message = list[i];
            if (message is null)
            {
                continue;
            }

            if (message.Role == ChatRole.User)
            {
                return false;
            }

            if (message.Role == ChatRole.Tool || message.Contents.Any(c => c is FunctionCallContent or FunctionResultContent))
            {
                return true;
            }
        }

        return false;
    }

    private (string Character, string Context) ResolveScope(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var character = RequestControls.ReadText(options, CharacterProperty, allowEmpty: false);
        var context = RequestControls.ReadText(options, ContextProperty, allowEmpty: true);
        if ((character is null || context is null) && KeySelector is { } selector && selector(messages, options) is { } scope)
        {
            if (string.IsNullOrWhiteSpace(scope.Character))
            {
                throw new InvalidOperationException("The KeySelector returned a DialogueChatScope without a character (default(DialogueChatScope)?); return null to use the DefaultCharacter.");
            }

            character ??= scope.Character;
            context ??= scope.Context;
        }

        return (character ?? DefaultCharacter, context ?? string.Empty);
    }
}
