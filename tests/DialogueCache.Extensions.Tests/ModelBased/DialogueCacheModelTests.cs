using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>
/// Model-based tests: random operation sequences on <see cref="DialogueCache"/> and on <see cref="ReferenceCache"/>,
/// compared after every step. On failure FsCheck shrinks the scenario and prints it with its replay seed
/// (paste the seed into <c>Replay = "..."</c> on the attribute to rerun exactly that case).
/// </summary>
public sealed class DialogueCacheModelTests
{
    [Property(MaxTest = 200)]
    public Property RandomOperations_SingleThreaded_MatchReferenceModel() =>
        Prop.ForAll(ScenarioGenerator.Scenarios(), ScenarioRunner.Run);
}
