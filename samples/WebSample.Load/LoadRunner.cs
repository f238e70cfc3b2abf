using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;

namespace WebSample.Load;

/// <summary>
/// Sends the load run to a running sample: first each distinct prompt once (every one a model call: the uncached
/// path), then the remaining requests over the same prompts at random (every one a hit: the cached path). Both
/// phases use the same clients, the same server and the same run, so their figures compare side by side.
/// </summary>
internal static class LoadRunner
{
    private static readonly string[] Characters =
        ["npc:blacksmith", "npc:innkeeper", "npc:guard", "npc:merchant", "npc:wizard", "npc:farmer"];

    private static readonly string[] Topics =
        ["the northern pass", "the old mill", "the bandits", "the harvest", "the temple bells", "the river", "the wolves", "the king"];

    /// <summary>Runs both phases against <paramref name="baseAddress"/>.</summary>
    public static async Task<IReadOnlyList<LoadPhaseResult>> RunAsync(Uri baseAddress, LoadRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
        var bodies = Enumerable.Range(0, options.Prompts).Select(Body).ToArray();

        // Warm up the connection and the JIT on a line outside the measured set (not counted).
        await SendAsync(http, new DialogueBody("npc:guard", "gate", "warm-up line"), cancellationToken).ConfigureAwait(false);

        var uncached = await RunPhaseAsync("uncached", http, options.Prompts, options.Clients, (_, i) => bodies[i], cancellationToken)
            .ConfigureAwait(false);
        var randoms = Enumerable.Range(0, options.Clients).Select(c => new Random(options.Seed + c)).ToArray();
        var cached = await RunPhaseAsync("cached", http, options.Requests - options.Prompts, options.Clients,
#pragma warning disable CA5394 // Not security: picks which prompt a client repeats.
            (client, _) => bodies[randoms[client].Next(bodies.Length)], cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5394
        return [uncached, cached];
    }

    private static DialogueBody Body(int index) =>
        new(Characters[index % Characters.Length], "load", $"Question {index}: what do you know about {Topics[index % Topics.Length]}?");

    private static async Task<LoadPhaseResult> RunPhaseAsync(string name, HttpClient http, int requests, int clients,
        Func<int, int, DialogueBody> pick, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        int next = -1, hits = 0, misses = 0, failures = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var sent = Stopwatch.GetTimestamp();
                var outcome = await SendAsync(http, pick(client, index), cancellationToken).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                _ = outcome switch
                {
                    "HIT" => Interlocked.Increment(ref hits),
                    "MISS" => Interlocked.Increment(ref misses),
                    _ => Interlocked.Increment(ref failures),
                };
            }
        }, cancellationToken))).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LoadPhaseResult(name, requests, hits, misses, failures, elapsed, LatencySummary.From(latencies));
    }

    // Returns the X-Cache header of a 200, or the status code of anything else.
    private static async Task<string> SendAsync(HttpClient http, DialogueBody body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("dialogue", body, cancellationToken).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode && response.Headers.TryGetValues("X-Cache", out var values)
            ? values.First()
            : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
