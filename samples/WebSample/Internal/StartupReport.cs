using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using WebSample.Admin;
using WebSample.Model;

namespace WebSample.Internal;

/// <summary>Says at startup which model answers misses and whether the admin API is enabled (never the keys).</summary>
internal sealed class StartupReport(IOptions<ChatModelOptions> model, IOptions<AdminApiOptions> admin, IChatClient chat,
    ILogger<StartupReport> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.ModelConfigured(logger, model.Value.Provider.ToString(), chat.GetService<ChatClientMetadata>()?.DefaultModelId);
        if (!admin.Value.Enabled)
        {
            Log.AdminDisabled(logger);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
