using WebSample.Load;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class LoadRunTests
{
    [Fact]
    public async Task LoadRun_SmallRun_UncachedAllMissCachedAllHit_ReportSideBySide()
    {
        var options = new LoadRunOptions { Requests = 400, Prompts = 40, Clients = 2, ModelLatency = TimeSpan.Zero };
        using var folder = new TempFolder();
        await using var sample = await SampleProcess.StartAsync(LoadProgram.Settings(options, folder.Path), TimeSpan.FromSeconds(60));

        var phases = await LoadRunner.RunAsync(sample.BaseAddress, options, CancellationToken.None);

        Assert.Equal(2, phases.Count);
        Assert.Equal(("uncached", 40, 40, 0, 0), (phases[0].Name, phases[0].Requests, phases[0].Misses, phases[0].Hits, phases[0].Failures));
        Assert.Equal(("cached", 360, 360, 0, 0), (phases[1].Name, phases[1].Requests, phases[1].Hits, phases[1].Misses, phases[1].Failures));
        Assert.All(phases, p => Assert.True(p.RequestsPerSecond > 0 && p.Latency.P99 >= p.Latency.P50));
        var report = LoadReport.Format(options, phases);
        Assert.Contains("| uncached | 40 |", report, StringComparison.Ordinal);
        Assert.Contains("| cached | 360 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoArguments_TheIssueShape()
    {
        var (options, error) = LoadRunOptions.Parse([]);

        Assert.Null(error);
        Assert.Equal((20_000, 2, 300, 400.0), (options!.Requests, options.Clients, options.Prompts, options.ModelLatency.TotalMilliseconds));
    }

    [Theory]
    [InlineData(new[] { "--requests" }, "needs a value")]
    [InlineData(new[] { "--requests", "many" }, "whole number")]
    [InlineData(new[] { "--threads", "2" }, "unknown option '--threads'")]
    [InlineData(new[] { "--clients", "0" }, "requests > prompts >= clients >= 1")]
    [InlineData(new[] { "--requests", "100", "--prompts", "300" }, "requests > prompts")]
    public void Parse_BadArguments_ErrorNamingThem(string[] args, string message)
    {
        var (options, error) = LoadRunOptions.Parse(args);

        Assert.Null(options);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Percentiles_NearestRank()
    {
        var summary = LatencySummary.From([.. Enumerable.Range(1, 100).Select(i => (double)i)]);

        Assert.Equal((50.0, 99.0, 100.0), (summary.P50, summary.P99, summary.Max));
    }
}
