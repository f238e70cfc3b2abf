using System.ComponentModel.DataAnnotations;

namespace WebSample.Dashboard;

/// <summary>The dashboard's history (<c>WebSample:Dashboard</c>).</summary>
internal sealed class DashboardOptions
{
    /// <summary>The configuration section, below the sample's own (<c>WebSample</c>).</summary>
    public const string SectionName = "Dashboard";

    /// <summary>How often the server samples the cache's counters and the page polls them (100 ms to 1 minute; default 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many samples the chart shows (10 to 3600; default 120: two minutes at one a second).</summary>
    [Range(10, 3600)]
    public int HistoryLength { get; set; } = 120;
}
