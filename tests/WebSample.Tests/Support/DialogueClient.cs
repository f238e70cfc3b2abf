using System.Net.Http.Json;
using System.Text.Json;

namespace WebSample.Tests.Support;

/// <summary>Sends dialogue requests and reads their answers.</summary>
internal static class DialogueClient
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string character, string context, string prompt) =>
        http.PostAsJsonAsync("dialogue", new { character, context, prompt });

    public static async Task<DialogueAnswer> AskAsync(HttpClient http, string character, string context, string prompt)
    {
        using var response = await PostAsync(http, character, context, prompt);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /dialogue answered {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return new DialogueAnswer(
            json.RootElement.GetProperty("response").GetString()!,
            json.RootElement.GetProperty("cached").GetBoolean(),
            json.RootElement.GetProperty("latencyMs").GetDouble(),
            response.Headers.GetValues("X-Cache").Single());
    }
}
