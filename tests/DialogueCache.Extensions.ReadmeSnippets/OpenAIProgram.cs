using Dialogue.Caching.AI;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDialogueCache(builder.Configuration.GetSection("DialogueCache"));
builder.Services
    .AddChatClient(new ChatClient("gpt-4o-mini", builder.Configuration["OpenAI:ApiKey"]).AsIChatClient())
    .UseDialogueCache(configure: cache => cache.Variants = 3);   // up to 3 lines per question, picked at random

var app = builder.Build();

app.MapPost("/npc/{name}", async (string name, PlayerLine line, IChatClient chat, CancellationToken ct) =>
{
    var options = new ChatOptions
    {
        Temperature = 0.8f,
        AdditionalProperties = new()
        {
            ["dialogue.character"] = $"npc:{name}",   // key segment: InvalidatePattern("npc:blacksmith") finds it
            ["dialogue.context"] = line.Scene,
        },
    };
    ChatResponse reply = await chat.GetResponseAsync(
        [new(ChatRole.System, $"You are {name}. Stay in character; answer in one or two sentences."),
         new(ChatRole.User, line.Text)], options, ct);
    return reply.Text;
});

app.Run();

record PlayerLine(string Scene, string Text);
