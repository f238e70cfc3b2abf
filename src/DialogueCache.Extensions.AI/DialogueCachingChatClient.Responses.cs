using System.Runtime.CompilerServices;
using System.Text.Json;
using Dialogue.Caching.AI.Internal;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI;

/// <summary>The request flow: controls, hits, coalesced model calls, and what a completed call stores.</summary>
public sealed partial class DialogueCachingChatClient
{
    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A <c>dialogue.*</c> property has a bad value, or a cached request has a null
    /// message or no user message.</exception>
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = Prepare(messages, options);
        return request.Key is null
            ? InnerClient.GetResponseAsync(request.Messages, request.ModelOptions, cancellationToken)
            : GetCachedResponseAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A <c>dialogue.*</c> property has a bad value, or a cached request has a null
    /// message or no user message.</exception>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = Prepare(messages, options);
        return request.Key is null
            ? InnerClient.GetStreamingResponseAsync(request.Messages, request.ModelOptions, cancellationToken)
            : GetCachedStreamingResponseAsync(request, cancellationToken);
    }

    private async Task<ChatResponse> GetCachedResponseAsync(PreparedChatRequest request, CancellationToken cancellationToken)
    {
        var serializer = _serializer;
        var existing = request.Mode == CacheMode.Refresh ? null : ReadEntry(request.Key!);
        if (TryChooseVariant(request.Key!, existing, out var variant))
        {
            if (TryRead(() => serializer.ToResponse(variant), out var cached))
            {
                RecordSavings(variant);
                return cached;
            }

            existing = null;   // unreadable (a content type these options do not know): replace it
        }

        var generation = JoinOrStart(request, existing, recheck: variant is null, streaming: false, serializer, out var owner);
        return await generation.GetResponseAsync(owner ? null : serializer.Copy, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> GetCachedStreamingResponseAsync(
        PreparedChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var serializer = _serializer;
        var existing = request.Mode == CacheMode.Refresh ? null : ReadEntry(request.Key!);
        if (TryChooseVariant(request.Key!, existing, out var variant))
        {
            if (TryRead(() => serializer.ToUpdates(variant), out var cached))
            {
                RecordSavings(variant);
                foreach (var update in cached)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return update;
                }

                yield break;
            }

            existing = null;
        }

        var generation = JoinOrStart(request, existing, recheck: variant is null, streaming: true, serializer, out var owner);
        await foreach (var update in generation.ReadAsync(owner ? null : serializer.Copy, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private static bool TryRead<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            value = default!;
            return false;
        }
    }

    private PreparedChatRequest Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        // Controls are checked on every request, so a typo fails loudly even when nothing would be cached.
        var mode = RequestControls.ReadMode(options);
        var ttl = RequestControls.ReadTtl(options) ?? _ttl;
        var snapshot = messages.ToList();
        string? key = null;
        if (mode != CacheMode.Bypass)
        {
            ThrowIfAnyNull(snapshot);
            if (EnableCaching(snapshot, options))
            {
                ThrowIfNoUserMessage(snapshot);
                key = GetCacheKey(snapshot, options);
            }
        }

        return new PreparedChatRequest
        {
            Messages = snapshot,
            ModelOptions = RequestControls.Strip(options),
            Mode = mode,
            Ttl = ttl,
            Key = key,
        };
    }

    private CachedChatEntry? ReadEntry(string key) =>
        Cache.TryGet(key, out var json) ? ChatEntrySerializer.TryParse(json) : null;

    // A hit when the entry holds all the variants it will get, or when another variant is already being made
    // (serve one of those stored rather than wait); otherwise the caller makes the next variant.
    private bool TryChooseVariant(string key, CachedChatEntry? entry, out CachedChatVariant variant)
    {
        if (entry is null
            || (entry.Variants.Count < Variants && entry.Fills < Variants && !_inFlight.ContainsKey(key)))
        {
            variant = null!;
            return false;
        }

        variant = ChooseVariant(entry);
        return true;
    }

    private CachedChatVariant ChooseVariant(CachedChatEntry entry)
    {
        var choices = Math.Min(entry.Variants.Count, Variants);
#pragma warning disable CA5394 // Not security: picks which stored line an NPC says.
        return entry.Variants[choices == 1 ? 0 : Random.Next(choices)];
#pragma warning restore CA5394
    }

    private void RecordSavings(CachedChatVariant variant)
    {
        if (Cache is DialogueCache cache)
        {
            cache.RecordSavings(variant.InputTokens, variant.OutputTokens, variant.Latency);
        }
    }

    // recheck: whether the call may first look again for a response a just-finished call stored (not when the caller
    // found an entry it could not read, which the call replaces).
    private ChatGeneration JoinOrStart(PreparedChatRequest request, CachedChatEntry? existing, bool recheck, bool streaming,
        ChatEntrySerializer serializer, out bool owner)
    {
        var flightKey = request.Mode == CacheMode.Refresh ? request.Key + RefreshFlightSuffix : request.Key!;
        while (true)
        {
            if (_inFlight.TryGetValue(flightKey, out var running))
            {
                if (running.TryJoin())
                {
                    owner = false;
                    (Cache as DialogueCache)?.RecordCoalescedCall();
                    return running;
                }

                // Every consumer of that call left and it is being cancelled: start a fresh one in its place.
                var replacement = new ChatGeneration(streaming);
                if (_inFlight.TryUpdate(flightKey, replacement, running))
                {
                    owner = true;
                    _ = RunAsync(replacement, flightKey, request, existing, recheck, serializer);
                    return replacement;
                }

                replacement.Dispose();
                continue;
            }

            var created = new ChatGeneration(streaming);
            if (_inFlight.TryAdd(flightKey, created))
            {
                owner = true;
                _ = RunAsync(created, flightKey, request, existing, recheck, serializer);
                return created;
            }

            created.Dispose();
        }
    }

    // The pump: calls the model once for every consumer of the generation. Never throws: the outcome goes to them.
    private async Task RunAsync(ChatGeneration generation, string flightKey, PreparedChatRequest request,
        CachedChatEntry? existing, bool recheck, ChatEntrySerializer serializer)
    {
        var token = generation.Token;
        var started = _timeProvider.GetTimestamp();
        var modelCalled = false;
        try
        {
            // The caller missed, but an identical call may have finished between its read and this call taking the
            // key (a call stores its response before it lets the key go). Look again before paying for the model.
            if (recheck && request.Mode != CacheMode.Refresh && PeekEntry(request.Key!) is { } stored)
            {
                if (stored.Variants.Count >= Variants || stored.Fills >= Variants)
                {
                    if (TryServeStored(generation, flightKey, stored, serializer))
                    {
                        return;
                    }
                }
                else
                {
                    existing = stored;   // the newest set of variants, to add this call's response to
                }
            }

            modelCalled = true;
            ChatResponse response;
            IReadOnlyList<ChatResponseUpdate>? updates = null;
            if (generation.Streaming)
            {
                await foreach (var update in InnerClient.GetStreamingResponseAsync(request.Messages, request.ModelOptions, token).ConfigureAwait(false))
                {
                    if (update is not null)
                    {
                        generation.Append(update);
                    }
                }

                updates = generation.Updates();
                response = updates.ToChatResponse();
            }
            else
            {
                response = await InnerClient.GetResponseAsync(request.Messages, request.ModelOptions, token).ConfigureAwait(false);
            }

            var latency = _timeProvider.GetElapsedTime(started);

            // Store before releasing the key, so a request arriving now hits instead of calling the model again.
            Store(request, existing, response, CoalesceStreamingUpdates ? null : updates, latency, serializer);
            _inFlight.TryRemove(new KeyValuePair<string, ChatGeneration>(flightKey, generation));
            generation.Succeed(response);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Every consumer left: nothing is stored.
            _inFlight.TryRemove(new KeyValuePair<string, ChatGeneration>(flightKey, generation));
            generation.Cancel();
        }
#pragma warning disable CA1031 // Any failure (the model's, the predicate's) goes to every consumer of the call.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _inFlight.TryRemove(new KeyValuePair<string, ChatGeneration>(flightKey, generation));
            generation.Fail(exception);
        }
        finally
        {
            if (modelCalled)
            {
                (Cache as DialogueCache)?.RecordGeneration(_timeProvider.GetElapsedTime(started));
            }

            generation.Dispose();
        }
    }

    // The entry under key, without counting this caller's read a second time when the cache is a DialogueCache (any
    // other IDialogueCache counts it: an extra count costs less than an extra model call).
    private CachedChatEntry? PeekEntry(string key)
    {
        string? json;
        var found = Cache is DialogueCache cache ? cache.TryPeekText(key, out json) : Cache.TryGet(key, out json);
        return found ? ChatEntrySerializer.TryParse(json!) : null;
    }

    // Serves the generation's consumers a stored response instead of a model call: they were served by the call
    // that stored it, as if they had joined it. False (and nothing served) when the response cannot be read.
    private bool TryServeStored(ChatGeneration generation, string flightKey, CachedChatEntry stored, ChatEntrySerializer serializer)
    {
        var variant = ChooseVariant(stored);
        IReadOnlyList<ChatResponseUpdate> updates = [];
        if (!TryRead(() => serializer.ToResponse(variant), out var response)
            || (generation.Streaming && !TryRead(() => serializer.ToUpdates(variant), out updates)))
        {
            return false;
        }

        foreach (var update in updates)
        {
            generation.Append(update);
        }

        (Cache as DialogueCache)?.RecordCoalescedCall();
        _inFlight.TryRemove(new KeyValuePair<string, ChatGeneration>(flightKey, generation));
        generation.Succeed(response);
        return true;
    }

    private void Store(PreparedChatRequest request, CachedChatEntry? existing, ChatResponse response,
        IReadOnlyList<ChatResponseUpdate>? updates, TimeSpan latency, ChatEntrySerializer serializer)
    {
        var key = request.Key!;
        string json;
        if (!StorePredicate(response) || !TryRead(() => ChatEntrySerializer.Serialize(Merge(existing, serializer.CreateVariant(response, updates, latency), request.Mode)), out json))
        {
            // Not storable (or not serializable with these options): the caller still gets it. A refresh still drops
            // the entry it was asked to replace.
            if (request.Mode == CacheMode.Refresh)
            {
                Cache.Invalidate(key);
            }

            return;
        }

        Cache.Set(key, json, request.Ttl);
    }

    private CachedChatEntry Merge(CachedChatEntry? existing, CachedChatVariant variant, CacheMode mode)
    {
        if (mode == CacheMode.Refresh || existing is null || Variants == 1)
        {
            return new CachedChatEntry(1, [variant]);
        }

        return existing.Variants.Any(v => v.Digest == variant.Digest)
            ? new CachedChatEntry(existing.Fills + 1, existing.Variants)
            : new CachedChatEntry(existing.Fills + 1, [.. existing.Variants, variant]);
    }

    private static void ThrowIfAnyNull(List<ChatMessage> messages)
    {
        var index = messages.IndexOf(null!);
        if (index >= 0)
        {
            throw new ArgumentException($"messages[{index}] is null.", nameof(messages));
        }
    }

    private static void ThrowIfNoUserMessage(List<ChatMessage> messages)
    {
        if (!messages.Exists(m => m.Role == ChatRole.User))
        {
            throw new ArgumentException(
                "The conversation has no user message: a cached request needs something said to the character. " +
                $"Add a user message, or send the request with AdditionalProperties[\"{CacheModeProperty}\"] = \"{BypassMode}\".",
                nameof(messages));
        }
    }
}
