using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using WebSample.Internal;
using WebSample.Model;

namespace WebSample.Dialogue;

/// <summary>
/// <c>POST /dialogue</c>: asks the chat pipeline (the cache in front of the model) for a character's line and says
/// whether it was cached.
/// </summary>
/// <param name="chat">The chat pipeline registered with <c>AddChatClient(...).UseDialogueCache()</c>.</param>
/// <param name="model">The model settings (the time a request may wait for it).</param>
/// <param name="clock">Measures the latency reported to the caller.</param>
/// <param name="logger">Where outcomes are logged (never the prompt or the reply).</param>
internal sealed class DialogueHandler(IChatClient chat, IOptions<ChatModelOptions> model, TimeProvider clock, ILogger<DialogueHandler> logger)
{
    /// <summary>The response header that says whether the line came from the cache: <c>HIT</c> or <c>MISS</c>.</summary>
    public const string CacheHeader = "X-Cache";

    private readonly TimeSpan _timeout = model.Value.Timeout;

    /// <summary>Answers one dialogue request.</summary>
    public async Task<IResult> PostAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (line, problem) = await DialogueRequestReader.ReadAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (messages, options) = NpcConversation.Create(line!);
        using var timeout = new CancellationTokenSource(_timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        var probe = ModelCallProbe.Start();
        var started = clock.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            Log.ModelTimedOut(logger, _timeout.TotalSeconds);
            return TypedResults.Problem($"The chat model did not answer within {_timeout.TotalSeconds:0.###} s (WebSample:Model:Timeout).",
                statusCode: StatusCodes.Status504GatewayTimeout, title: "Model timeout");
        }
#pragma warning disable CA1031 // Whatever the provider throws (HTTP, quota, content filter), the caller gets a 502, not a stack trace.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.ModelFailed(logger, exception.GetType().Name, exception);
            return TypedResults.Problem($"The chat model failed ({exception.GetType().Name}); see the server log.",
                statusCode: StatusCodes.Status502BadGateway, title: "Model error");
        }

        var latency = clock.GetElapsedTime(started);
        var cached = !probe.ModelCalled;
        context.Response.Headers[CacheHeader] = cached ? "HIT" : "MISS";
        Log.DialogueServed(logger, cached, latency.TotalMilliseconds);
        return TypedResults.Ok(new DialogueReply(response.Text, cached, Math.Round(latency.TotalMilliseconds, 3)));
    }
}
