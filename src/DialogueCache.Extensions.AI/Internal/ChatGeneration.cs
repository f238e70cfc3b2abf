using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.AI.Internal;

/// <summary>
/// One model call shared by concurrent identical requests (stampede protection), streaming or not.
/// </summary>
/// <remarks>
/// <para>The call is driven by a background pump (<c>DialogueCachingChatClient.RunAsync</c>), never by a caller:
/// the pump appends each streaming update here as it arrives and completes the generation at the end. Every
/// caller (consumer) reads from this recording at its own pace: a streaming consumer gets the updates recorded so
/// far and then each new one as it is appended, so the first caller sees the model's stream live and a caller that
/// joins later catches up and then follows live too. A non-streaming consumer waits for the end.</para>
/// <para>Consumers are counted. One consumer leaving early (cancellation, or a stream abandoned before its end)
/// does not disturb the others; when the last one leaves, the model call is cancelled, nothing is stored, and the
/// next request starts a fresh call. The only lock guards the update list for a few instructions; no user code
/// (model, cache, predicate) ever runs under it.</para>
/// </remarks>
internal sealed class ChatGeneration : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ChatResponseUpdate> _updates = [];
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<ChatResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = NewSignal();
    private bool _finished;
    private int _consumers = 1;

    public ChatGeneration(bool streaming) => Streaming = streaming;

    /// <summary>Whether the model is called through its streaming API.</summary>
    public bool Streaming { get; }

    /// <summary>The token for the model call: cancelled when every consumer has left.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Joins as one more consumer; <see langword="false"/> once every consumer has left (the call is being cancelled).</summary>
    public bool TryJoin()
    {
        var consumers = Volatile.Read(ref _consumers);
        while (consumers > 0)
        {
            var seen = Interlocked.CompareExchange(ref _consumers, consumers + 1, consumers);
            if (seen == consumers)
            {
                return true;
            }

            consumers = seen;
        }

        return false;
    }

    /// <summary>Records one streaming update and wakes the consumers waiting for it.</summary>
    public void Append(ChatResponseUpdate update)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _updates.Add(update);
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }

    /// <summary>The updates recorded so far (all of them once the stream has ended).</summary>
    public IReadOnlyList<ChatResponseUpdate> Updates()
    {
        lock (_gate)
        {
            return [.. _updates];
        }
    }

    public void Succeed(ChatResponse response) => Finish(() => _completion.TrySetResult(response));

    public void Fail(Exception exception) => Finish(() =>
    {
        _completion.TrySetException(exception);

        // Every consumer may have left already: observe the exception so it is not reported as unobserved.
        _ = _completion.Task.Exception;
    });

    public void Cancel() => Finish(() => _completion.TrySetCanceled(_cancellation.Token));

    /// <summary>
    /// Streams the response: the recorded updates, then each new one as it arrives; for a non-streaming call, the
    /// final response as updates. Ends with the model's exception if the call failed.
    /// </summary>
    /// <param name="copy">Copies each update for a consumer that did not start the call; <see langword="null"/> for the one that did.</param>
    /// <param name="cancellationToken">Cancels this consumer's reading only.</param>
    public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(
        Func<ChatResponseUpdate, ChatResponseUpdate>? copy, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        var completed = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ChatResponseUpdate? next = null;
                Task? changed = null;
                lock (_gate)
                {
                    if (index < _updates.Count)
                    {
                        next = _updates[index++];
                    }
                    else if (!_finished)
                    {
                        changed = _changed.Task;
                    }
                }

                if (next is not null)
                {
                    yield return copy is null ? next : copy(next);
                }
                else if (changed is not null)
                {
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    break;
                }
            }

            // Finished: the completion is set before _finished, so this does not wait; it throws the model's error.
            var response = await _completion.Task.ConfigureAwait(false);
            completed = true;
            if (!Streaming)
            {
                foreach (var update in response.ToChatResponseUpdates())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return copy is null ? update : copy(update);
                }
            }
        }
        finally
        {
            if (!completed)
            {
                Leave();
            }
        }
    }

    /// <summary>Waits for the whole response.</summary>
    /// <param name="copy">Copies the response for a consumer that did not start the call; <see langword="null"/> for the one that did.</param>
    /// <param name="cancellationToken">Cancels this consumer's wait only.</param>
    public async Task<ChatResponse> GetResponseAsync(Func<ChatResponse, ChatResponse>? copy, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_completion.Task.IsCompleted)
        {
            Leave();
            throw;
        }

        return copy is null ? response : copy(response);
    }

    public void Dispose() => _cancellation.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The completion is set first, so a consumer that sees _finished finds the outcome there.
    private void Finish(Action complete)
    {
        complete();
        TaskCompletionSource signal;
        lock (_gate)
        {
            _finished = true;
            signal = _changed;
        }

        signal.TrySetResult();
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _consumers) == 0)
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended and released its token while this consumer was leaving.
            }
        }
    }
}
