using Dialogue.Caching;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using WebSample.Model;
using WebSample.Stats;

namespace WebSample.Dashboard;

/// <summary><c>GET /dashboard/stats</c>: what the dashboard page polls; read-only and without keys or prompts.</summary>
/// <param name="cache">The cache.</param>
/// <param name="history">The sampled history.</param>
/// <param name="model">The model settings.</param>
/// <param name="chat">The chat pipeline (for the model's metadata).</param>
internal sealed class DashboardHandler(IDialogueCache cache, StatsHistory history, IOptions<ChatModelOptions> model, IChatClient chat)
{
    private readonly ModelInfo _model = Describe(model.Value, chat.GetService<ChatClientMetadata>());

    /// <summary>The current counters, the history and the labelled top keys.</summary>
    public IResult Stats(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var analytics = cache.Analytics();
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DashboardStatsResponse(
            history.Interval.TotalMilliseconds,
            history.Capacity,
            _model,
            CacheTotals.From(analytics),
            history.Snapshot(),
            [.. analytics.MostFrequentlyRequested.Select(k => new DashboardTopKey(TopKeyLabels.Label(k.Key), k.Count))]));
    }

    private static ModelInfo Describe(ChatModelOptions options, ChatClientMetadata? metadata) => options.Provider switch
    {
        ChatModelProvider.Simulated => new ModelInfo("simulated", metadata?.DefaultModelId, options.Simulated.Latency.TotalMilliseconds),
        _ => new ModelInfo(metadata?.ProviderName ?? options.Provider.ToString().ToLowerInvariant(), metadata?.DefaultModelId, null),
    };
}
