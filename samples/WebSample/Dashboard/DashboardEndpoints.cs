namespace WebSample.Dashboard;

/// <summary>Maps the dashboard's data endpoint (the page itself is <c>wwwroot/index.html</c>).</summary>
internal static class DashboardEndpoints
{
    /// <summary>Maps <c>GET /dashboard/stats</c>.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dashboard/stats", (DashboardHandler handler, HttpContext context) => handler.Stats(context))
            .WithSummary("Aggregate counters, the sampled history and labelled top keys; no API key needed, no prompts shown.");
        return endpoints;
    }
}
