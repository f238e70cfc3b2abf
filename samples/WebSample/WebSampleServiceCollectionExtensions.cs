using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebSample.Admin;
using WebSample.Dashboard;
using WebSample.Dialogue;
using WebSample.Internal;
using WebSample.Model;
using WebSample.Prewarm;

namespace WebSample;

/// <summary>Registers the sample's own parts: handlers, options, the NPC-lines prewarm and the dashboard's history.</summary>
internal static class WebSampleServiceCollectionExtensions
{
    /// <summary>Registers the handlers and services of the sample, with options from <paramref name="section"/> (<c>WebSample</c>).</summary>
    public static IServiceCollection AddWebSample(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();

        services.AddOptionsWithValidateOnStart<ChatModelOptions, ChatModelOptionsValidator>()
            .Bind(section.GetSection(ChatModelOptions.SectionName));
        services.AddOptionsWithValidateOnStart<AdminApiOptions, AdminApiOptionsValidator>()
            .Bind(section.GetSection(AdminApiOptions.SectionName));
        services.AddOptionsWithValidateOnStart<DashboardOptions, DashboardOptionsValidator>()
            .Bind(section.GetSection(DashboardOptions.SectionName));
        services.AddOptions<PrewarmOptions>().Bind(section.GetSection(PrewarmOptions.SectionName));

        // Handlers get the cache and the chat pipeline by constructor injection.
        services.AddSingleton<DialogueHandler>();
        services.AddSingleton<CacheAdminHandler>();
        services.AddSingleton<CacheExportHandler>();
        services.AddSingleton<DashboardHandler>();

        // The model id is part of every chat cache key: NPC lines are keyed for the model that would answer.
        services.AddSingleton(sp => new NpcLinesLoader(sp.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()));

        // After AddDialogueCache's hosted service, which starts the SQLite store first.
        services.AddHostedService<NpcLinesPrewarmService>();
        services.AddSingleton<StatsHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<StatsHistory>());
        services.AddHostedService<StartupReport>();
        return services;
    }
}
