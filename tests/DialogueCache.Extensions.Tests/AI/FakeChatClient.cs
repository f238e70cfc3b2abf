using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.AI;

/// <summary>
/// A scripted model: counts calls, records what it was asked, streams its reply in chunks, can fail midway, can be
/// held on a <see cref="TaskCompletionSource"/> so calls overlap, and advances a <see cref="FakeTimeProvider"/> by
/// its <see cref="Latency"/> (the time a cache hit saves).
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly ConcurrentQueue<FakeChatCall> _requests = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _ended = new();
    private int _calls;
    private int _cancelled;

    /// <summary>Model calls made (streaming or not).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls that ended because their cancellation token fired.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    public IReadOnlyList<FakeChatCall> Requests => [.. _requests];

    /// <summary>The reply text of the n-th call (1-based).</summary>
    public Func<int, string> Reply { get; set; } = _ => "Welcome to the forge, traveller. What do you need?";

    public ChatFinishReason? FinishReason { get; set; } = ChatFinishReason.Stop;

    public UsageDetails? Usage { get; set; } = new() { InputTokenCount = 12, OutputTokenCount = 34, TotalTokenCount = 46 };

    /// <summary>The model id the client reports in its metadata and responses.</summary>
    public string ModelId { get; set; } = "fake-model";

    /// <summary>How many text updates a streamed reply is split into.</summary>
    public int Chunks { get; set; } = 3;

    public FakeTimeProvider? Time { get; set; }

    /// <summary>How far each call advances <see cref="Time"/>.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>When set, a call waits for it: before answering, or (streaming) before chunk <see cref="HoldBeforeChunk"/>.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public int HoldBeforeChunk { get; set; }

    /// <summary>When set, a streamed call throws <see cref="Failure"/> after this many chunks; a non-streamed call throws at once.</summary>
    public int? FailAfterChunks { get; set; }

    public Exception Failure { get; set; } = new InvalidOperationException("The model failed.");

    /// <summary>Completes when the n-th call (1-based) has started.</summary>
    public Task Started(int call) => _started.GetOrAdd(call, _ => NewSignal()).Task;

    /// <summary>Completes when the n-th call (1-based) has ended, however it ended.</summary>
    public Task Ended(int call) => _ended.GetOrAdd(call, _ => NewSignal()).Task;

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Begin(messages, options, streaming: false);
        try
        {
            if (Hold is { } hold)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            if (FailAfterChunks is not null)
            {
                throw Failure;
            }

            Time?.Advance(Latency);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply(call)) { MessageId = $"msg-{call}" })
            {
                ResponseId = $"resp-{call}",
                ModelId = options?.ModelId ?? ModelId,
                FinishReason = FinishReason,
                Usage = Usage,
                CreatedAt = Time?.GetUtcNow(),
                RawRepresentation = $"raw-{call}",
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
        finally
        {
            _ended.GetOrAdd(call, _ => NewSignal()).TrySetResult();
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Begin(messages, options, streaming: true);
        try
        {
            var chunks = Split(Reply(call), Chunks);
            for (var i = 0; i < chunks.Count; i++)
            {
                if (Hold is { } hold && i == HoldBeforeChunk)
                {
                    await WaitAsync(hold.Task, cancellationToken);
                }

                if (FailAfterChunks == i)
                {
                    throw Failure;
                }

                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunks[i])
                {
                    ResponseId = $"resp-{call}",
                    MessageId = $"msg-{call}",
                    ModelId = options?.ModelId ?? ModelId,
                };
            }

            Time?.Advance(Latency);
            var last = new ChatResponseUpdate { ResponseId = $"resp-{call}", FinishReason = FinishReason };
            if (Usage is not null)
            {
                last.Contents.Add(new UsageContent(Usage));
            }

            yield return last;
        }
        finally
        {
            _ended.GetOrAdd(call, _ => NewSignal()).TrySetResult();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fake", null, ModelId)
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static List<string> Split(string text, int parts)
    {
        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)Math.Max(1, parts)));
        return [.. text.Chunk(size).Select(c => new string(c))];
    }

    private int Begin(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var call = Interlocked.Increment(ref _calls);
        _requests.Enqueue(new FakeChatCall([.. messages], options, streaming));
        _started.GetOrAdd(call, _ => NewSignal()).TrySetResult();
        return call;
    }

    // A yield cannot sit in a try with a catch: count the cancellation here.
    private async Task WaitAsync(Task hold, CancellationToken cancellationToken)
    {
        try
        {
            await hold.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
    }
}
