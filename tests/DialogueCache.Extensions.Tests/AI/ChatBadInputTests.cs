using System.Text.Json;
using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;

namespace Dialogue.Caching.Tests.AI;

public sealed class ChatBadInputTests
{
    [Fact]
    public void Constructor_NullInnerClient_Throws()
    {
        using var cache = new DialogueCache();

        var error = Assert.Throws<ArgumentNullException>(() => new DialogueCachingChatClient(null!, cache));

        Assert.Equal("innerClient", error.ParamName);
    }

    [Fact]
    public void Constructor_NullCache_Throws()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new DialogueCachingChatClient(new FakeChatClient(), null!));

        Assert.Equal("cache", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Variants_LessThanOne_Throws(int variants)
    {
        using var rig = new ChatRig();

        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Client.Variants = variants);
        Assert.Equal(1, rig.Client.Variants);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void DefaultCharacter_Blank_Throws(string? character)
    {
        using var rig = new ChatRig();

        Assert.ThrowsAny<ArgumentException>(() => rig.Client.DefaultCharacter = character!);
        Assert.Equal("chat", rig.Client.DefaultCharacter);
    }

    [Fact]
    public void StorePredicate_Null_Throws()
    {
        using var rig = new ChatRig();

        Assert.Throws<ArgumentNullException>(() => rig.Client.StorePredicate = null!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Ttl_ZeroOrNegative_Throws(int seconds)
    {
        using var rig = new ChatRig();

        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Client.Ttl = TimeSpan.FromSeconds(seconds));
        Assert.Null(rig.Client.Ttl);
    }

    [Fact]
    public void JsonSerializerOptions_Null_Throws()
    {
        using var rig = new ChatRig();

        Assert.Throws<ArgumentNullException>(() => rig.Client.JsonSerializerOptions = null!);
    }

    [Fact]
    public void DialogueChatScope_BadCharacterOrContext_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new DialogueChatScope(null!));
        Assert.Throws<ArgumentException>(() => new DialogueChatScope("  "));
        Assert.Throws<ArgumentNullException>(() => new DialogueChatScope("npc", null!));
    }

    [Fact]
    public async Task GetResponseAsync_NullMessages_Throws()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => rig.Client.GetResponseAsync((IEnumerable<ChatMessage>)null!));

        Assert.Equal("messages", error.ParamName);
    }

    [Fact]
    public void GetStreamingResponseAsync_NullMessages_ThrowsAtTheCall()
    {
        using var rig = new ChatRig();

        var error = Assert.Throws<ArgumentNullException>(() => rig.Client.GetStreamingResponseAsync((IEnumerable<ChatMessage>)null!));

        Assert.Equal("messages", error.ParamName);
    }

    [Fact]
    public async Task GetResponseAsync_NullMessageInTheList_ThrowsNamingItsIndex()
    {
        using var rig = new ChatRig();
        List<ChatMessage> messages = [new(ChatRole.User, "Hello"), null!];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Client.GetResponseAsync(messages));

        Assert.Equal("messages", error.ParamName);
        Assert.Contains("messages[1] is null", error.Message, StringComparison.Ordinal);
        AssertNothingHappened(rig);
    }

    [Fact]
    public void GetStreamingResponseAsync_NullMessageInTheList_ThrowsAtTheCall()
    {
        using var rig = new ChatRig();

        var error = Assert.Throws<ArgumentException>(() => rig.Client.GetStreamingResponseAsync([null!, new(ChatRole.User, "Hello")]));

        Assert.Contains("messages[0] is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_NoUserMessage_ThrowsAClearError()
    {
        using var rig = new ChatRig();
        List<ChatMessage> messages = [new(ChatRole.System, Chat.Persona)];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Client.GetResponseAsync(messages));

        Assert.Equal("messages", error.ParamName);
        Assert.Contains("no user message", error.Message, StringComparison.Ordinal);
        AssertNothingHappened(rig);
    }

    [Fact]
    public async Task GetResponseAsync_NoMessagesAtAll_ThrowsAClearError()
    {
        using var rig = new ChatRig();

        await Assert.ThrowsAsync<ArgumentException>(() => rig.Client.GetResponseAsync([]));

        AssertNothingHappened(rig);
    }

    [Fact]
    public void GetStreamingResponseAsync_NoUserMessage_ThrowsAtTheCall()
    {
        using var rig = new ChatRig();

        Assert.Throws<ArgumentException>(() => rig.Client.GetStreamingResponseAsync([new(ChatRole.System, Chat.Persona)]));
    }

    [Fact]
    public async Task GetResponseAsync_NoUserMessageWithBypass_GoesToTheModel()
    {
        using var rig = new ChatRig();

        await rig.Client.GetResponseAsync([new(ChatRole.System, Chat.Persona)], Chat.For(mode: "bypass"));

        Assert.Equal(1, rig.Model.Calls);
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("")]
    [InlineData("bypass ")]
    public async Task GetResponseAsync_UnknownCacheMode_ThrowsNamingTheValueAndTheChoices(string mode)
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", Chat.For(mode: mode)));

        Assert.Equal("options", error.ParamName);
        Assert.Contains($"\"{mode}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"bypass\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"refresh\"", error.Message, StringComparison.Ordinal);
        AssertNothingHappened(rig);
    }

    [Fact]
    public async Task GetResponseAsync_CacheModeNotAString_Throws()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", new ChatOptions().With("dialogue.cache", 42)));

        Assert.Contains("42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetStreamingResponseAsync_UnknownCacheMode_ThrowsAtTheCall()
    {
        using var rig = new ChatRig();

        Assert.Throws<ArgumentException>(() => rig.Client.GetStreamingResponseAsync(Chat.Conversation("Hello"), Chat.For(mode: "skip")));
    }

    [Fact]
    public async Task GetResponseAsync_UnknownCacheModeWithConversationId_StillThrows()
    {
        using var rig = new ChatRig();
        var options = Chat.For(mode: "skip");
        options.ConversationId = "thread-1";

        await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", options));
    }

    [Fact]
    public async Task GetResponseAsync_TtlNotANumberOrTimeSpan_Throws()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", Chat.For(ttl: "soon")));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("dialogue.cache.ttl", error.Message, StringComparison.Ordinal);
        Assert.Contains("TimeSpan or a number of seconds", error.Message, StringComparison.Ordinal);
        AssertNothingHappened(rig);
    }

    public static TheoryData<object> NotPositive() => new()
    {
        0,
        -5,
        TimeSpan.Zero,
        TimeSpan.FromSeconds(-1),
        double.NaN,
        double.PositiveInfinity,
        JsonSerializer.SerializeToElement(-1),
    };

    [Theory]
    [MemberData(nameof(NotPositive))]
    public async Task GetResponseAsync_TtlNotPositiveOrTooLarge_Throws(object ttl)
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => rig.Ask("Hello", Chat.For(ttl: ttl)));

        Assert.Equal("options", error.ParamName);
        AssertNothingHappened(rig);
    }

    [Fact]
    public async Task GetResponseAsync_CharacterNotAString_Throws()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", new ChatOptions().With("dialogue.character", 7)));

        Assert.Contains("dialogue.character", error.Message, StringComparison.Ordinal);
        AssertNothingHappened(rig);
    }

    [Fact]
    public async Task GetResponseAsync_CharacterBlank_Throws()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", Chat.For(character: "   ")));

        Assert.Contains("dialogue.character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ContextNotAString_Throws()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", new ChatOptions().With("dialogue.context", true)));

        Assert.Contains("dialogue.context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_KeySelectorReturnsAnEmptyScope_ThrowsAClearError()
    {
        using var rig = new ChatRig(configure: c => c.KeySelector = (_, _) => default(DialogueChatScope));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Ask("Hello"));

        Assert.Contains("KeySelector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_LoneSurrogateInText_ThrowsNamingTheMessage()
    {
        using var rig = new ChatRig();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Client.GetResponseAsync([new(ChatRole.User, "broken \uD800 text")]));

        Assert.Equal("messages", error.ParamName);
        Assert.Contains("messages[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderPropertyTheSerializerCannotWrite_ThrowsNamingIt()
    {
        using var rig = new ChatRig();
        Action callback = () => { };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => rig.Ask("Hello", new ChatOptions().With("custom", callback)));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("AdditionalProperties[\"custom\"]", error.Message, StringComparison.Ordinal);
        AssertNothingHappened(rig);
    }

    private static void AssertNothingHappened(ChatRig rig)
    {
        Assert.Equal(0, rig.Model.Calls);
        var stats = rig.Cache.Analytics();
        Assert.Equal(0, stats.Hits + stats.Misses);
    }
}
