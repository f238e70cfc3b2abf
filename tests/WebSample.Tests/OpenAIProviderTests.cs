using Dialogue.Caching;
using WebSample.Tests.Support;

namespace WebSample.Tests;

public sealed class OpenAIProviderTests
{
    [Fact]
    public async Task Dialogue_OpenAIProvider_CallsItOnceThenServesTheCache()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        using var app = new SampleApp(new Dictionary<string, string?>
        {
            ["WebSample:Model:Provider"] = "OpenAI",
            ["WebSample:Model:OpenAI:ApiKey"] = "sk-test-not-a-real-key",
            ["WebSample:Model:OpenAI:Model"] = "gpt-test",
            ["WebSample:Model:OpenAI:Endpoint"] = openAI.Endpoint.ToString(),
        });

        var miss = await DialogueClient.AskAsync(app.Http, "npc:blacksmith", "forge", "Is the forge hot?");
        var hit = await DialogueClient.AskAsync(app.Http, "npc:blacksmith", "forge", "Is the forge hot?");

        Assert.Equal(("MISS", FakeOpenAIServer.Reply), (miss.CacheHeader, miss.Response));
        Assert.Equal(("HIT", FakeOpenAIServer.Reply), (hit.CacheHeader, hit.Response));
        Assert.Equal(1, openAI.Calls);
        Assert.Equal("Bearer sk-test-not-a-real-key", openAI.LastAuthorization);
        Assert.Equal("gpt-test", openAI.LastModel);
        var analytics = app.Get<IDialogueCache>().Analytics();
        Assert.Equal((30L, 8L), (analytics.InputTokensSaved, analytics.OutputTokensSaved));
    }

    [Fact]
    public async Task Dialogue_OpenAIProvider_PrewarmedLinesAreKeyedForItsModel()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        using var app = new SampleApp(new Dictionary<string, string?>
        {
            ["WebSample:Model:Provider"] = "OpenAI",
            ["WebSample:Model:OpenAI:ApiKey"] = "sk-test-not-a-real-key",
            ["WebSample:Model:OpenAI:Endpoint"] = openAI.Endpoint.ToString(),
        });

        var answer = await DialogueClient.AskAsync(app.Http, "npc:guard", "gate", "Hello!");

        Assert.Equal("HIT", answer.CacheHeader);
        Assert.Equal(0, openAI.Calls);
    }

    [Fact]
    public async Task Dialogue_ProviderDown_502NamingTheFailure()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var endpoint = openAI.Endpoint;
        await openAI.DisposeAsync();
        using var app = new SampleApp(new Dictionary<string, string?>
        {
            ["WebSample:Model:Provider"] = "OpenAI",
            ["WebSample:Model:OpenAI:ApiKey"] = "sk-test-not-a-real-key",
            ["WebSample:Model:OpenAI:Endpoint"] = endpoint.ToString(),
        });

        using var response = await DialogueClient.PostAsync(app.Http, "npc:guard", "gate", "Anyone there?");

        await Problem.AssertAsync(response, System.Net.HttpStatusCode.BadGateway, "The chat model failed");
        Assert.Equal(36, app.Get<IDialogueCache>().Analytics().CurrentSize);   // the prewarmed lines only: nothing stored
    }
}
