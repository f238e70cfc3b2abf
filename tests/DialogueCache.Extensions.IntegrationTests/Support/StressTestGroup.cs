namespace Dialogue.Caching.IntegrationTests.Support;

/// <summary>
/// The many-thread tests run alone, not beside other test classes: on a 2-core machine they would starve the
/// embedded server and the client's I/O of other tests, and be starved by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressTestGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Stress";
}
