using System.Globalization;
using System.Text;

namespace Dialogue.Caching.Tests.ModelBased;

/// <summary>A cache configuration and the operations to run on it; prints as a readable reproduction.</summary>
internal sealed record CacheScenario(int MaxSize, TimeSpan Ttl, int TopKeysCount, IReadOnlyList<CacheOperation> Operations)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"MaxSize={MaxSize}, Ttl={Ttl}, TopKeysCount={TopKeysCount}, {Operations.Count} operations:");
        for (var i = 0; i < Operations.Count; i++)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {i,3}: {Operations[i]}");
        }

        return text.ToString();
    }
}
