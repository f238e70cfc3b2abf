using WebSample.Stats;

namespace WebSample.Dashboard;

/// <summary>
/// The body of <c>GET /dashboard/stats</c>, which needs no API key: aggregate counters, the history, and the top keys
/// as labels (character, context, fingerprint: never the prompt; see <see cref="TopKeyLabels"/>).
/// </summary>
internal sealed record DashboardStatsResponse(
    double SampleIntervalMs,
    int HistoryLength,
    ModelInfo Model,
    CacheTotals Totals,
    IReadOnlyList<StatsSample> History,
    IReadOnlyList<DashboardTopKey> TopKeys);
