namespace WebSample.Dialogue;

/// <summary>Maps the dialogue endpoint.</summary>
internal static class DialogueEndpoints
{
    /// <summary>Maps <c>POST /dialogue</c>.</summary>
    public static IEndpointRouteBuilder MapDialogue(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/dialogue", (DialogueHandler handler, HttpContext context) => handler.PostAsync(context))
            .WithName("PostDialogue")
            .WithSummary("A character's reply to a player's line: {character, context, prompt} -> {response, cached, latencyMs}, header X-Cache: HIT|MISS.");
        return endpoints;
    }
}
