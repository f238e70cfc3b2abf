namespace Dialogue.Caching.Tests.Concurrency;

/// <summary>
/// The stress tests run one at a time, with no other test beside them: each gets both cores, so its run time
/// stays bounded and a slow neighbour cannot hide or fake a race.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressTestGroup
{
    public const string Name = "Concurrency stress";
}
