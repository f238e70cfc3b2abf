using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace WebSample.Model;

/// <summary>Creates the chat model that answers cache misses, as configured in <c>WebSample:Model</c>.</summary>
internal static class ChatModelFactory
{
    /// <summary>The model client for <see cref="ChatModelOptions.Provider"/>: the simulated NPC model unless a real provider is configured.</summary>
    /// <param name="services">The application's services.</param>
    /// <returns>The innermost client of the chat pipeline.</returns>
    public static IChatClient Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<ChatModelOptions>>().Value;
        return options.Provider switch
        {
            ChatModelProvider.OpenAI => CreateOpenAI(options.OpenAI),
            _ => new SimulatedNpcChatClient(Options.Create(options.Simulated), services.GetRequiredService<TimeProvider>()),
        };
    }

    private static IChatClient CreateOpenAI(OpenAIModelOptions options)
    {
        var clientOptions = new OpenAIClientOptions();
        if (options.Endpoint is { } endpoint)
        {
            clientOptions.Endpoint = endpoint;
        }

        return new OpenAI.Chat.ChatClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions).AsIChatClient();
    }
}
