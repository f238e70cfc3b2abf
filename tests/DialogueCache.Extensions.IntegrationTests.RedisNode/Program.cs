using Dialogue.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A second application server in its own OS process, for the multi-process backplane test: it runs a cache
// with a Redis store and answers one command per line on stdin, one line on stdout:
//   get KEY | set KEY VALUE | invalidate KEY | pattern TEXT | clear | quit
// Arguments: the Redis configuration string and the key prefix.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: RedisNode <redis configuration> <key prefix>");
    return 2;
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Logging.ClearProviders();
builder.Services.AddDialogueCache().AddRedisStore(args[0], o => o.KeyPrefix = args[1]);
using var host = builder.Build();
await host.StartAsync();
var cache = host.Services.GetRequiredService<IDialogueCache>();
Console.WriteLine("ready");

while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', 3);
    switch (parts[0])
    {
        case "get":
            Console.WriteLine(cache.Get(parts[1]) is { } value ? "value " + value : "null");
            break;
        case "set":
            cache.Set(parts[1], parts[2]);
            Console.WriteLine("ok");
            break;
        case "invalidate":
            cache.Invalidate(parts[1]);
            Console.WriteLine("ok");
            break;
        case "pattern":
            cache.InvalidatePattern(parts[1]);
            Console.WriteLine("ok");
            break;
        case "clear":
            cache.Clear();
            Console.WriteLine("ok");
            break;
        case "quit":
            await host.StopAsync();
            Console.WriteLine("bye");
            return 0;
        default:
            Console.WriteLine("error unknown command");
            break;
    }
}

await host.StopAsync();
return 0;
