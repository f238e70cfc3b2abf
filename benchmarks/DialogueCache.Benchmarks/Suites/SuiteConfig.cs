using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Dialogue.Caching.Benchmarks.Suites;

/// <summary>Columns every suite shows besides the defaults: the median (targets are medians) and throughput.</summary>
internal sealed class SuiteConfig : ManualConfig
{
    public SuiteConfig()
    {
        AddColumn(StatisticColumn.Median);
        AddColumn(new ThroughputColumn());
        AddColumnProvider(DefaultColumnProviders.Instance);
    }
}
