using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

public sealed class ChatRequestControlTests
{
    [Fact]
    public async Task GetResponseAsync_Bypass_NeitherReadsNorWrites()
    {
        using var rig = new ChatRig();
        rig.Model.Reply = n => $"line {n}";
        await rig.Ask("Hello");
        var before = rig.Cache.Analytics();

        var bypassed = await rig.Ask("Hello", Chat.For(mode: "bypass"));
        var cached = await rig.Ask("Hello");

        Assert.Equal("line 2", bypassed.Text);
        Assert.Equal("line 1", cached.Text);
        var after = rig.Cache.Analytics();
        Assert.Equal(before.Hits + 1, after.Hits);       // only the last request read
        Assert.Equal(before.Misses, after.Misses);
        Assert.Equal(1, after.CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Bypass_StreamsFromTheModelAndStoresNothing()
    {
        using var rig = new ChatRig();

        await rig.AskStreaming("Hello", Chat.For(mode: "bypass"));
        await rig.AskStreaming("Hello", Chat.For(mode: "bypass"));

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
        Assert.Equal(0, rig.Cache.Analytics().Misses);
    }

    [Fact]
    public async Task GetResponseAsync_Refresh_CallsTheModelAndReplacesTheEntry()
    {
        using var rig = new ChatRig();
        rig.Model.Reply = n => $"line {n}";
        await rig.Ask("Hello");

        var refreshed = await rig.Ask("Hello", Chat.For(mode: "refresh"));
        var cached = await rig.Ask("Hello");

        Assert.Equal("line 2", refreshed.Text);
        Assert.Equal("line 2", cached.Text);
        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Refresh_CallsTheModelAndReplacesTheEntry()
    {
        using var rig = new ChatRig();
        rig.Model.Reply = n => $"line {n}";
        await rig.AskStreaming("Hello");

        var refreshed = await rig.AskStreaming("Hello", Chat.For(mode: "Refresh"));
        var cached = await rig.AskStreaming("Hello");

        Assert.Equal("line 2", refreshed);
        Assert.Equal("line 2", cached);
        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_RefreshedResponseNotToBeStored_RemovesTheOldEntry()
    {
        using var rig = new ChatRig();
        await rig.Ask("Hello");
        rig.Model.FinishReason = ChatFinishReason.Length;

        await rig.Ask("Hello", Chat.For(mode: "refresh"));

        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_RefreshFails_KeepsTheOldEntry()
    {
        using var rig = new ChatRig();
        await rig.Ask("Hello");
        rig.Model.FailAfterChunks = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Ask("Hello", Chat.For(mode: "refresh")));
        rig.Model.FailAfterChunks = null;
        await rig.Ask("Hello");

        Assert.Equal(2, rig.Model.Calls);
        Assert.Equal(1, rig.Cache.Analytics().CurrentSize);
    }

    [Fact]
    public async Task GetResponseAsync_ModeAsJsonElement_IsHonoured()
    {
        using var rig = new ChatRig();
        var options = new ChatOptions().With("dialogue.cache", JsonSerializer.SerializeToElement("bypass"));

        await rig.Ask("Hello", options);

        Assert.Equal(0, rig.Cache.Analytics().CurrentSize);
    }

    public static TheoryData<object> FiveSeconds() => new()
    {
        TimeSpan.FromSeconds(5),
        5,
        5L,
        5.0,
        5.0f,
        5m,
        JsonSerializer.SerializeToElement(5),
    };

    [Theory]
    [MemberData(nameof(FiveSeconds))]
    public async Task GetResponseAsync_TtlProperty_SetsTheEntrysLifetime(object ttl)
    {
        using var rig = new ChatRig(new DialogueCacheOptions { Ttl = TimeSpan.FromHours(1) });
        await rig.Ask("Hello", Chat.For(ttl: ttl));

        rig.Time.Advance(TimeSpan.FromSeconds(4));
        await rig.Ask("Hello");
        Assert.Equal(1, rig.Model.Calls);

        rig.Time.Advance(TimeSpan.FromSeconds(2));
        await rig.Ask("Hello");
        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_TtlProperty_OverridesTheClientsTtl()
    {
        using var rig = new ChatRig(configure: c => c.Ttl = TimeSpan.FromHours(1));
        await rig.Ask("Hello", Chat.For(ttl: 5));

        rig.Time.Advance(TimeSpan.FromSeconds(6));
        await rig.Ask("Hello");

        Assert.Equal(2, rig.Model.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TtlProperty_SetsTheEntrysLifetime()
    {
        using var rig = new ChatRig();
        await rig.AskStreaming("Hello", Chat.For(ttl: 5));

        rig.Time.Advance(TimeSpan.FromSeconds(6));
        await rig.AskStreaming("Hello");

        Assert.Equal(2, rig.Model.Calls);
    }
}
