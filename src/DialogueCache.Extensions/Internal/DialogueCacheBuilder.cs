using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching.Internal;

internal sealed class DialogueCacheBuilder(IServiceCollection services, string name) : IDialogueCacheBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name { get; } = name;
}
