using Microsoft.Extensions.AI;
using WebSample;
using WebSample.Admin;
using WebSample.Dashboard;
using WebSample.Dialogue;
using WebSample.Internal;
using WebSample.Model;

var builder = WebApplication.CreateBuilder(args);

// The cache: options from "DialogueCache" (size, TTL, top keys), and a SQLite file behind memory, so a restart
// comes back warm. Relative paths are relative to the content root (this folder under `dotnet run`).
builder.Services
    .AddDialogueCache(builder.Configuration.GetSection("DialogueCache"))
    .AddSqliteStore(builder.Configuration.GetConnectionString("DialogueCache") ?? "Data Source=dialogue-cache.db");

// The chat pipeline: the cache in front of the model, so a line already answered never reaches it. The model is the
// built-in simulated NPC model unless WebSample:Model:Provider names a real one (README, "Sample web app").
builder.Services
    .AddChatClient(ChatModelFactory.Create)
    .UseDialogueCache()
    .Use(inner => new ModelCallProbeChatClient(inner));   // tells a handler whether its request reached the model

// The handlers (they get IChatClient and IDialogueCache by constructor injection), the admin key, the NPC-lines
// prewarm at startup and the dashboard's history.
builder.Services.AddWebSample(builder.Configuration.GetSection("WebSample"));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapDialogue();      // POST /dialogue
app.MapCacheAdmin();    // /cache/... behind the X-Api-Key header
app.MapDashboard();     // GET /dashboard/stats for the page at /

app.Run();

/// <summary>The sample's entry point (public for <c>WebApplicationFactory&lt;Program&gt;</c> in the tests).</summary>
public partial class Program;
