using System.Collections.Concurrent;
using System.Text.Json;
using Dialogue.Caching.AI.Internal;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI;

/// <summary>
/// A chat client middleware that caches model responses in an <see cref="IDialogueCache"/>: entries show in the
/// cache's analytics, obey its size limit and time-to-live, and reach its second tier (SQLite, Redis).
/// Add it with <c>builder.UseDialogueCache()</c>.
/// </summary>
/// <remarks>
/// <para><b>Key.</b> <see cref="DialogueKey.Create(string, string, string)"/> with the character
/// (<c>AdditionalProperties["dialogue.character"]</c>, else <see cref="KeySelector"/>, else
/// <see cref="DefaultCharacter"/>), the context (<c>["dialogue.context"]</c>, else <see cref="KeySelector"/>, else
/// empty) and a prompt made of the normalized text of the whole conversation (system prompt included), the model id,
/// the options that change the output (instructions, temperature, top-p, top-k, max output tokens, penalties, seed,
/// stop sequences, response format, tools, tool mode, reasoning, other additional properties) and a cache-format
/// version. Message ids, timestamps, raw representations and function call ids are ignored.</para>
/// <para><b>What is cached.</b> Not requests with a <see cref="ChatOptions.ConversationId"/> (state held by the
/// service) unless <see cref="CacheConversationRequests"/>, nor those with a <see cref="ChatOptions.ContinuationToken"/>,
/// nor, unless <see cref="CacheToolCallsInFlight"/>,
/// requests in the middle of a tool-call loop. Only responses that pass <see cref="StorePredicate"/> (by default:
/// finish reason <see cref="ChatFinishReason.Stop"/>) are stored; a stream only once it has completed.</para>
/// <para><b>Per request.</b> <c>AdditionalProperties["dialogue.cache"]</c> = <c>bypass</c> (no read, no write) or
/// <c>refresh</c> (call the model, replace the entry); <c>["dialogue.cache.ttl"]</c> = a <see cref="TimeSpan"/> or
/// a number of seconds. These controls are removed from the options the model sees.</para>
/// <para><b>Stampede protection.</b> Concurrent identical requests on one client make one model call, streaming or
/// not: the first request's call streams to it live, later ones catch up on what was already streamed and follow.
/// One caller cancelling does not cancel the call for the others.</para>
/// <para><b>Savings.</b> When the cache is a <see cref="DialogueCache"/>, a hit records the stored response's token
/// usage and the model latency measured when it was produced (<see cref="DialogueCache.RecordSavings"/>).</para>
/// </remarks>
public sealed partial class DialogueCachingChatClient : CachingChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key naming who answers (a string): the key's character segment.</summary>
    public const string CharacterProperty = "dialogue.character";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key naming what the answer depends on (a string): the key's context segment.</summary>
    public const string ContextProperty = "dialogue.context";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key for per-request control: <see cref="BypassMode"/> or <see cref="RefreshMode"/>.</summary>
    public const string CacheModeProperty = "dialogue.cache";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key for a per-request lifetime: a <see cref="TimeSpan"/> or a number of seconds.</summary>
    public const string TtlProperty = "dialogue.cache.ttl";

    /// <summary>The <see cref="CacheModeProperty"/> value that sends the request straight to the model: no read, no write.</summary>
    public const string BypassMode = "bypass";

    /// <summary>The <see cref="CacheModeProperty"/> value that calls the model without reading and replaces the entry.</summary>
    public const string RefreshMode = "refresh";

    /// <summary>The character of a request that names none: <c>chat</c>.</summary>
    public const string DefaultCharacterName = "chat";

    // Keys never contain a line break (DialogueKey collapses white space), so refresh calls get their own slot.
    private const string RefreshFlightSuffix = "\nrefresh";

    private static readonly Func<ChatResponse, bool> FinishedWithStop = static response => response.FinishReason == ChatFinishReason.Stop;

    private readonly ConcurrentDictionary<string, ChatGeneration> _inFlight = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly string? _defaultModelId;
    private ChatEntrySerializer _serializer = new(AIJsonUtilities.DefaultOptions);
    private string _defaultCharacter = DefaultCharacterName;
    private Func<ChatResponse, bool> _storePredicate = FinishedWithStop;
    private int _variants = 1;
    private TimeSpan? _ttl;

    /// <summary>Creates the middleware in front of <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The model client (or the rest of the pipeline).</param>
    /// <param name="cache">Where responses are stored.</param>
    /// <param name="timeProvider">The clock that measures model latency; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    public DialogueCachingChatClient(IChatClient innerClient, IDialogueCache cache, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(cache);
        Cache = cache;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _defaultModelId = innerClient.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    /// <summary>Where responses are stored.</summary>
    public IDialogueCache Cache { get; }

    /// <summary>The character of requests that name none (<see cref="CharacterProperty"/>, <see cref="KeySelector"/>); <c>chat</c> by default.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public string DefaultCharacter
    {
        get => _defaultCharacter;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _defaultCharacter = value;
        }
    }

    /// <summary>
    /// Chooses the character and context of a request from its messages and options, for requests that do not set
    /// <see cref="CharacterProperty"/> or <see cref="ContextProperty"/> (those win when present). Returning
    /// <see langword="null"/> falls back to <see cref="DefaultCharacter"/> and an empty context.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, DialogueChatScope?>? KeySelector { get; set; }

    /// <summary>
    /// Decides whether a completed response is stored; by default only responses whose
    /// <see cref="ChatResponse.FinishReason"/> is <see cref="ChatFinishReason.Stop"/> (not cut by a length limit or
    /// a content filter, not asking for tool calls). Streams are judged on the response built from their updates.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public Func<ChatResponse, bool> StorePredicate
    {
        get => _storePredicate;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _storePredicate = value;
        }
    }

    /// <summary>
    /// Whether requests in the middle of a tool-call loop are cached: those with a function call, a function result
    /// or a tool message after the last user message. <see langword="false"/> by default: tool results are live data.
    /// </summary>
    public bool CacheToolCallsInFlight { get; set; }

    /// <summary>
    /// Whether requests with a <see cref="ChatOptions.ConversationId"/> are cached. <see langword="false"/> by default:
    /// the service holds that conversation's earlier turns, which the key cannot see, so the same request can deserve a
    /// different response at every turn.
    /// </summary>
    /// <remarks>
    /// When <see langword="true"/>, the conversation id is part of the key (as its SHA-256, so ids differing only in
    /// case stay apart): a response is reused only within its own conversation, never served to another one. Turn it
    /// on when the responses do not depend on the state the service keeps beyond what the request itself carries, for
    /// instance a conversation that only holds fixed instructions.
    /// </remarks>
    public bool CacheConversationRequests { get; set; }

    /// <summary>
    /// How many distinct responses are kept per request (1 by default). With N, the first N requests call the model,
    /// each adding its response when it differs from those stored; then each hit returns one of them at random, so an
    /// NPC does not repeat itself word for word. All of a request's variants live in one cache entry.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Variants
    {
        get => _variants;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _variants = value;
        }
    }

    /// <summary>
    /// The lifetime of stored responses; <see langword="null"/> (the default) uses the cache's
    /// <see cref="DialogueCacheOptions.Ttl"/>. A request's <see cref="TtlProperty"/> overrides it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? Ttl
    {
        get => _ttl;
        set
        {
            if (value is { } ttl)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
            }

            _ttl = value;
        }
    }

    /// <summary>
    /// Serializes stored responses and the non-text values that go into keys (tool arguments and results, provider
    /// options); <see cref="AIJsonUtilities.DefaultOptions"/> by default. Set options that know your own
    /// <see cref="AIContent"/> types if you use any. The options are made read-only.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public JsonSerializerOptions JsonSerializerOptions
    {
        get => _serializer.Options;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _serializer = new ChatEntrySerializer(value);
        }
    }

    /// <summary>Picks the variant a hit returns; replaceable by tests.</summary>
    internal Random Random { get; set; } = Random.Shared;
}
