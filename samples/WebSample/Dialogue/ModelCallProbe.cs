namespace WebSample.Dialogue;

/// <summary>
/// Tells a handler whether its request reached the chat model. The cache middleware answers hits itself, so a
/// request that never reached the model was served without a model call: from the cache, or by joining an identical
/// request's call already in flight (stampede protection).
/// </summary>
/// <remarks>
/// The probe travels in an <see cref="AsyncLocal{T}"/>: the middleware starts the model call from the caller's
/// execution context, so <see cref="ModelCallProbeChatClient"/>, placed between the middleware and the model, sees
/// the probe of the request that caused the call.
/// </remarks>
internal sealed class ModelCallProbe
{
    private static readonly AsyncLocal<ModelCallProbe?> Current = new();
    private int _calls;

    private ModelCallProbe()
    {
    }

    /// <summary>Whether the model was called for this request.</summary>
    public bool ModelCalled => Volatile.Read(ref _calls) > 0;

    /// <summary>Starts a probe for the calls made from here on in this asynchronous flow.</summary>
    /// <remarks>Call it from an <see langword="async"/> method: the probe then ends with that method.</remarks>
    public static ModelCallProbe Start()
    {
        var probe = new ModelCallProbe();
        Current.Value = probe;
        return probe;
    }

    /// <summary>Records a model call for the request in flight, if it has a probe.</summary>
    public static void RecordCall()
    {
        if (Current.Value is { } probe)
        {
            Interlocked.Increment(ref probe._calls);
        }
    }
}
