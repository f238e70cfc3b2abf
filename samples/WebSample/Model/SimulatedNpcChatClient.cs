using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace WebSample.Model;

/// <summary>
/// A stand-in for a hosted model, so the sample runs with no server and no API key: each reply is assembled from
/// stock NPC phrases chosen by a hash of the conversation (the same conversation always gets the same reply), after
/// <see cref="SimulatedModelOptions.Latency"/>, with token usage estimated as a real model would report it. That makes
/// a cache miss cost what a model call costs and a hit visibly cheaper, with tokens saved to count.
/// </summary>
internal sealed class SimulatedNpcChatClient : IChatClient
{
    private static readonly string[] Openers =
    [
        "Ah, traveller.", "Hmm.", "Well met.", "By the old roads!", "Listen close.", "Heh.", "Stranger, eh?",
        "Mind your step.",
    ];

    private static readonly string[] Bodies =
    [
        "The northern pass has been quiet since the snows, and quiet makes me nervous.",
        "Coin first, questions after; that is how we do things in this village.",
        "I have heard the same tale from three people, and each swore it was true.",
        "The old mill burns a lantern at night, though nobody has worked there in years.",
        "If it is steel you need, the forge has the best this side of the river.",
        "The captain pays well for news of the bandits on the east road.",
        "My grandmother said the well remembers every wish thrown into it.",
        "Rooms are cheap, the stew is hot, and the ale is better than you deserve.",
        "Wolves came down from the ridge twice this week; travel in daylight.",
        "The merchant guild has raised its prices again, blame the bridge toll.",
        "A hooded figure asked the same thing yesterday and left before sunrise.",
        "The temple bells ring at odd hours lately, and the priests will not say why.",
    ];

    private static readonly string[] Closers =
    [
        "Safe travels.", "Now, off with you.", "Do not say I never warned you.", "That is all I know.",
        "Come back when you have coin.", "May the road be kind.", "Keep your blade sharp.", "Tell no one I said so.",
    ];

    private readonly SimulatedModelOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;

    public SimulatedNpcChatClient(IOptions<SimulatedModelOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _timeProvider = timeProvider;
        _metadata = new ChatClientMetadata("simulated", providerUri: null, defaultModelId: _options.ModelId);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        await WaitForModelAsync(cancellationToken).ConfigureAwait(false);
        var reply = Reply(conversation);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = options?.ModelId ?? _options.ModelId,
            FinishReason = ChatFinishReason.Stop,
            CreatedAt = _timeProvider.GetUtcNow(),
            Usage = Usage(conversation, reply),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();

        // The latency is the time to the first token; the rest of the line follows at once.
        await WaitForModelAsync(cancellationToken).ConfigureAwait(false);
        var reply = Reply(conversation);
        var words = reply.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i])
            {
                ModelId = options?.ModelId ?? _options.ModelId,
            };
        }

        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(Usage(conversation, reply))],
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: no connection, no timer of its own.
    }

    /// <summary>The reply to a conversation: the same conversation always gets the same line.</summary>
    internal static string Reply(IReadOnlyList<ChatMessage> conversation)
    {
        var text = new StringBuilder();
        foreach (var message in conversation)
        {
            text.Append(message.Role.Value).Append(':').Append(message.Text.Trim().ToLowerInvariant()).Append('\n');
        }

        // A stable hash (string.GetHashCode changes with every process): replies survive restarts like cached ones.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return $"{Openers[hash[0] % Openers.Length]} {Bodies[hash[1] % Bodies.Length]} {Closers[hash[2] % Closers.Length]}";
    }

    // About four characters a token, as the usual tokenizers average on English text.
    private static UsageDetails Usage(IReadOnlyList<ChatMessage> conversation, string reply)
    {
        var input = conversation.Sum(m => EstimateTokens(m.Text) + 4);
        var output = EstimateTokens(reply);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    private static int EstimateTokens(string text) => (text.Length + 3) / 4;

    private Task WaitForModelAsync(CancellationToken cancellationToken) =>
        _options.Latency > TimeSpan.Zero
            ? Task.Delay(_options.Latency, _timeProvider, cancellationToken)
            : Task.CompletedTask;
}
