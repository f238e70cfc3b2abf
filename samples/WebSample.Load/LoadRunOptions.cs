using System.Globalization;

namespace WebSample.Load;

/// <summary>The load run's shape: how many requests, from how many clients, over how many distinct prompts.</summary>
internal sealed record LoadRunOptions
{
    /// <summary>All requests of the run, both phases (default 20,000).</summary>
    public int Requests { get; init; } = 20_000;

    /// <summary>Concurrent clients, each sending one request at a time (default 2).</summary>
    public int Clients { get; init; } = 2;

    /// <summary>Distinct prompts (default 300): the uncached phase asks each once, the cached phase repeats them.</summary>
    public int Prompts { get; init; } = 300;

    /// <summary>The simulated model's latency (default 400 ms, the sample's default).</summary>
    public TimeSpan ModelLatency { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Seeds the cached phase's choice of prompts, so runs are repeatable.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The usage line.</summary>
    public const string Usage =
        "usage: WebSample.Load [--requests N] [--clients N] [--prompts N] [--latency-ms N] [--seed N]\n" +
        "  defaults: 20000 requests, 2 clients, 300 prompts, 400 ms model latency, seed 42; requests > prompts >= clients >= 1";

    /// <summary>Reads the options from command-line arguments.</summary>
    /// <returns>The options, or an error naming the bad argument.</returns>
    public static (LoadRunOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LoadRunOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value.");
            }

            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return (null, $"{name} must be a whole number (was '{args[i]}').");
            }

            switch (name)
            {
                case "--requests": options = options with { Requests = value }; break;
                case "--clients": options = options with { Clients = value }; break;
                case "--prompts": options = options with { Prompts = value }; break;
                case "--latency-ms": options = options with { ModelLatency = TimeSpan.FromMilliseconds(value) }; break;
                case "--seed": options = options with { Seed = value }; break;
                default: return (null, $"unknown option '{name}'.");
            }
        }

        if (options.Clients < 1 || options.Prompts < options.Clients || options.Requests <= options.Prompts)
        {
            return (null, $"need requests > prompts >= clients >= 1 (got {options.Requests}, {options.Prompts}, {options.Clients}).");
        }

        return (options, null);
    }
}
