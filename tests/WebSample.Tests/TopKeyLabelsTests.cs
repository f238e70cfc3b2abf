using Dialogue.Caching;
using WebSample.Stats;

namespace WebSample.Tests;

public sealed class TopKeyLabelsTests
{
    [Fact]
    public void Label_DialogueKey_CharacterContextAndFingerprint()
    {
        var key = DialogueKey.Create("npc:blacksmith", "forge", "tell me a secret");

        var label = TopKeyLabels.Label(key);

        Assert.Equal($"npc:blacksmith | forge | #{TopKeyLabels.Fingerprint(key)}", label);
        Assert.DoesNotContain("secret", label, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_EscapedSegments_ShownUnescaped()
    {
        var label = TopKeyLabels.Label(DialogueKey.Create("a|b", "50%", "hello"));

        Assert.StartsWith("a|b | 50% | #", label, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_EmptyContext_Omitted()
    {
        Assert.StartsWith("npc:guard | #", TopKeyLabels.Label(DialogueKey.Create("npc:guard", "", "hi")), StringComparison.Ordinal);
    }

    [Fact]
    public void Label_KeyNotMadeByDialogueKey_OnlyFingerprint()
    {
        Assert.Matches("^\\(other key\\) #[0-9a-f]{8}$", TopKeyLabels.Label("some free-form key with a password"));
    }

    [Fact]
    public void Fingerprint_DiffersPerKey_StableForOne()
    {
        Assert.Equal(TopKeyLabels.Fingerprint("a"), TopKeyLabels.Fingerprint("a"));
        Assert.NotEqual(TopKeyLabels.Fingerprint("a"), TopKeyLabels.Fingerprint("b"));
    }
}
