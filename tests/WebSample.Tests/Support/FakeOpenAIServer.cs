using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebSample.Tests.Support;

/// <summary>
/// A server on 127.0.0.1 that speaks the chat-completions API as OpenAI-compatible servers do (the one endpoint the
/// provider calls), so the real OpenAI client and its HTTP stack run without internet or a key.
/// </summary>
internal sealed class FakeOpenAIServer : IAsyncDisposable
{
    public const string Reply = "Aye, the forge is hot today.";

    private readonly WebApplication _app;
    private int _calls;

    private FakeOpenAIServer(WebApplication app) => _app = app;

    public int Calls => Volatile.Read(ref _calls);

    public string? LastAuthorization { get; private set; }

    public string? LastModel { get; private set; }

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Interlocked.Increment(ref server._calls);
            server.LastAuthorization = context.Request.Headers.Authorization;
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            server.LastModel = request.RootElement.GetProperty("model").GetString();
            return Results.Text($$$"""
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"{{{server.LastModel}}}",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{{{Reply}}}"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":8,"total_tokens":38}}
                """, "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Endpoint = new Uri(address + "/v1");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
