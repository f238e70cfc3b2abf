using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

public sealed class ChatVariantsTests
{
    [Fact]
    public async Task GetResponseAsync_ThreeVariants_FirstThreeRequestsCallTheModelThenHitsPickAmongThem()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 3);
        rig.Model.Reply = n => $"line {n}";

        var filling = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            filling.Add((await rig.Ask("Hello")).Text);
        }

        var hits = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            hits.Add((await rig.Ask("Hello")).Text);
        }

        Assert.Equal(["line 1", "line 2", "line 3"], filling);
        Assert.Equal(3, rig.Model.Calls);
        Assert.Equal(["line 1", "line 2", "line 3"], hits.Distinct().Order());
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ThreeVariants_HitsReplayOneOfThemAsAStream()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 3);
        rig.Model.Reply = n => $"line {n}";
        for (var i = 0; i < 3; i++)
        {
            await rig.AskStreaming("Hello");
        }

        var hits = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            hits.Add(await rig.AskStreaming("Hello"));
        }

        Assert.Equal(3, rig.Model.Calls);
        Assert.Equal(["line 1", "line 2", "line 3"], hits.Distinct().Order());
    }

    [Fact]
    public async Task GetResponseAsync_ModelRepeatsItself_StopsAfterVariantsCallsWithTheDistinctResponsesOnly()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 3);
        rig.Model.Reply = n => n == 2 ? "Hmm?" : "Welcome.";

        for (var i = 0; i < 10; i++)
        {
            await rig.Ask("Hello");
        }

        Assert.Equal(3, rig.Model.Calls);
        using var json = System.Text.Json.JsonDocument.Parse(rig.Cache.Get(rig.SingleKey())!);
        Assert.Equal(2, json.RootElement.GetProperty("variants").GetArrayLength());
        Assert.Equal(3, json.RootElement.GetProperty("fills").GetInt32());
    }

    [Fact]
    public async Task GetResponseAsync_VariantsOfACharacter_AreAllRemovedByInvalidatePattern()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 2);
        rig.Model.Reply = n => $"line {n}";
        var npc = Chat.For(character: "npc:blacksmith");
        await rig.Ask("Hello", npc);
        await rig.Ask("Hello", npc);

        var removed = rig.Cache.InvalidatePattern("npc:blacksmith");
        var after = await rig.Ask("Hello", npc);

        Assert.Equal(1, removed);
        Assert.Equal("line 3", after.Text);
    }

    [Fact]
    public async Task GetResponseAsync_AnotherVariantBeingMade_ConcurrentRequestsGetAStoredOneWithoutWaiting()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 2);
        rig.Model.Reply = n => $"line {n}";
        await rig.Ask("Hello");
        rig.Model.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var filling = rig.Ask("Hello");
        var served = rig.Ask("Hello");

        Assert.True(served.IsCompletedSuccessfully);
        Assert.Equal("line 1", (await served).Text);
        rig.Model.Hold.SetResult();
        Assert.Equal("line 2", (await filling).Text);
        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_Refresh_StartsTheVariantsOver()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 2);
        rig.Model.Reply = n => $"line {n}";
        await rig.Ask("Hello");
        await rig.Ask("Hello");

        await rig.Ask("Hello", Chat.For(mode: "refresh"));
        var next = await rig.Ask("Hello");

        Assert.Equal("line 4", next.Text);   // one variant after the refresh, so the next request adds another
        Assert.Equal(4, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_VariantsLowered_HitsUseOnlyTheFirstStored()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 3);
        rig.Model.Reply = n => $"line {n}";
        for (var i = 0; i < 3; i++)
        {
            await rig.Ask("Hello");
        }

        rig.Client.Variants = 1;
        var hits = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            hits.Add((await rig.Ask("Hello")).Text);
        }

        Assert.All(hits, h => Assert.Equal("line 1", h));
    }

    [Fact]
    public async Task GetResponseAsync_VariantNotToBeStored_DoesNotCountAsAFill()
    {
        using var rig = new ChatRig(configure: c => c.Variants = 2);
        rig.Model.Reply = n => $"line {n}";
        await rig.Ask("Hello");
        rig.Model.FinishReason = ChatFinishReason.Length;
        await rig.Ask("Hello");
        rig.Model.FinishReason = ChatFinishReason.Stop;

        await rig.Ask("Hello");
        await rig.Ask("Hello");

        Assert.Equal(3, rig.Model.Calls);
    }
}
