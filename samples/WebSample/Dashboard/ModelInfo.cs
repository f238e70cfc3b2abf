namespace WebSample.Dashboard;

/// <summary>Which model answers misses, as the dashboard shows it.</summary>
/// <param name="Provider">The provider (<c>simulated</c>, <c>openai</c>).</param>
/// <param name="ModelId">The model id, when the provider reports one.</param>
/// <param name="LatencyMs">The simulated model's configured latency; null for a real provider.</param>
internal sealed record ModelInfo(string Provider, string? ModelId, double? LatencyMs);
