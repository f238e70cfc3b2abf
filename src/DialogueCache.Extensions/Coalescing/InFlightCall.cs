namespace Dialogue.Caching.Coalescing;

/// <summary>
/// One running factory call that concurrent callers of the same key share, whichever face they came through
/// (its result is the stored payload: a string, or bytes for the HybridCache face). The factory gets its own
/// cancellation token, cancelled only when every caller waiting for it has cancelled: one impatient caller
/// does not take the answer away from the others.
/// </summary>
internal sealed class InFlightCall : IDisposable
{
    private readonly TaskCompletionSource<object> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancellation = new();
    private int _waiters = 1;

    /// <summary>The token handed to the factory.</summary>
    public CancellationToken FactoryToken => _cancellation.Token;

    public Task<object> Task => _completion.Task;

    /// <summary>Joins as one more waiter; false once every waiter has left (the call is being cancelled).</summary>
    public bool TryJoin()
    {
        var waiters = Volatile.Read(ref _waiters);
        while (waiters > 0)
        {
            var seen = Interlocked.CompareExchange(ref _waiters, waiters + 1, waiters);
            if (seen == waiters)
            {
                return true;
            }

            waiters = seen;
        }

        return false;
    }

    /// <summary>Waits for the result on behalf of one waiter; leaving on cancellation may cancel the factory.</summary>
    public async ValueTask<object> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_completion.Task.IsCompleted)
        {
            Leave();
            throw;
        }
    }

    public void SetResult(object value) => _completion.TrySetResult(value);

    public void SetCanceled() => _completion.TrySetCanceled(_cancellation.Token);

    public void SetException(Exception exception)
    {
        _completion.TrySetException(exception);

        // Every waiter may have left already: mark the exception observed so it is not reported as an
        // unobserved task exception when the task is collected.
        _ = _completion.Task.Exception;
    }

    public void Dispose() => _cancellation.Dispose();

    private void Leave()
    {
        if (Interlocked.Decrement(ref _waiters) == 0)
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The factory finished and released its token while this waiter was leaving.
            }
        }
    }
}
