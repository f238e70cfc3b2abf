using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.DependencyInjection;

namespace Dialogue.Caching.Benchmarks.Redis;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/DialogueCache.Benchmarks -- redis-propagation [--samples N] [--redis host:port]</c>
/// </summary>
/// <remarks>
/// <para>Measures, on loopback, against Microsoft Garnet embedded in this process and against the redis-server
/// named by <c>--redis</c> or <c>DIALOGUECACHE_REDIS</c> when there is one, the median and p99 of:</para>
/// <list type="bullet">
/// <item>an L1 hit (memory), per read, averaged over batches of 1000 reads;</item>
/// <item>an L2 hit: a memory miss served by Redis (GET + PTTL) and written to memory, sync <c>Get</c> and
/// <c>GetOrCreateAsync</c>;</item>
/// <item>backplane propagation: from node A calling <c>Set</c> or <c>Invalidate</c> to node B's memory copy being
/// gone (B watched by spinning on its entry count; B holds that one key only), once with writes back to back and
/// once after a 2 ms pause (idle client threads must wake up first: on a small machine this dominates).</item>
/// </list>
/// <para>Not a BenchmarkDotNet suite: a propagation is a cross-node event, timed once per sample with a
/// <see cref="Stopwatch"/>. Two nodes are two service providers in this process, each with its own connection.</para>
/// </remarks>
internal static class RedisPropagationMeasurement
{
    private const string Key = "npc:smith|forge|t:what do you sell?";
    private const string Value = "Swords, axes and the odd horseshoe. What catches your eye?";

    public static void Run(string[] args)
    {
        var samples = 2000;
        var redis = Environment.GetEnvironmentVariable("DIALOGUECACHE_REDIS");
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--samples")
            {
                samples = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--redis")
            {
                redis = args[i + 1];
            }
        }

        Console.WriteLine($"redis-propagation: {samples} samples per row, loopback, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| server | measurement | median | p99 |");
        Console.WriteLine("|---|---|---:|---:|");

        var port = FreePort();
        using (var garnet = new GarnetServer(["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--memory", "256m", "--index", "16m", "--no-obj", "-q", "--logger-level", "Error"]))
        {
            garnet.Start();
            Measure("Garnet 2.2.8 (in process)", $"127.0.0.1:{port}", samples);
        }

        if (!string.IsNullOrWhiteSpace(redis))
        {
            Measure($"redis-server ({redis})", redis, samples);
        }
    }

    private static void Measure(string server, string configuration, int samples)
    {
        var prefix = $"bench{Guid.NewGuid():N}:";
        using var providerA = Node(configuration, prefix);
        using var providerB = Node(configuration, prefix);
        var a = providerA.GetRequiredService<DialogueCache>();
        var b = providerB.GetRequiredService<DialogueCache>();
        var bLocal = (IDialogueCacheStoreHost)b;

        // Warm up: connections, JIT, the subscription.
        for (var i = 0; i < 500; i++)
        {
            a.Set(Key, Value);
            _ = b.Get(Key);
            bLocal.EvictLocal(Key);
            _ = b.GetOrCreateAsync(Key, static (_, _) => ValueTask.FromResult(Value)).AsTask().GetAwaiter().GetResult();
        }

        a.Set(Key, Value);
        WaitUntil(() => b.Count == 0 || b.Get(Key) == Value);

        Row(server, "L1 hit (memory), per read", L1Hits(b, samples));
        Row(server, "L2 hit, sync Get (L1 miss, Redis hit)", L2Hits(b, bLocal, samples, async: false));
        Row(server, "L2 hit, GetOrCreateAsync", L2Hits(b, bLocal, samples, async: true));
        Row(server, "propagation, busy (writes back to back): A.Set -> B's copy gone", SetPropagation(a, b, samples));
        Row(server, "propagation, after a 2 ms pause: A.Invalidate -> B's copy gone", InvalidatePropagation(a, b, samples));
        a.Clear();
    }

    private static ServiceProvider Node(string configuration, string prefix)
    {
        var services = new ServiceCollection();
        services.AddDialogueCache(o => o.MaxSize = 10_000).AddRedisStore(configuration, o => o.KeyPrefix = prefix);
        return services.BuildServiceProvider();
    }

    private static double[] L1Hits(DialogueCache cache, int samples)
    {
        const int Batch = 1000;
        cache.Get(Key);
        var result = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Batch; i++)
            {
                _ = cache.Get(Key);
            }

            result[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Batch;
        }

        return result;
    }

    private static double[] L2Hits(DialogueCache cache, IDialogueCacheStoreHost local, int samples, bool async)
    {
        var result = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            local.EvictLocal(Key);
            var start = Stopwatch.GetTimestamp();
            var value = async
                ? cache.GetOrCreateAsync(Key, static (_, _) => throw new InvalidOperationException("an L2 miss")).AsTask().GetAwaiter().GetResult()
                : cache.Get(Key);
            result[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (value != Value)
            {
                throw new InvalidOperationException("The read did not come from Redis.");
            }
        }

        return result;
    }

    private static double[] SetPropagation(DialogueCache a, DialogueCache b, int samples)
    {
        var result = new List<double>(samples);
        for (var s = 0; s < samples; s++)
        {
            // B holds the one key; A writes it; B's copy goes when A's message arrives.
            if (b.Get(Key) is null || b.Count != 1)
            {
                continue;
            }

            var start = Stopwatch.GetTimestamp();
            a.Set(Key, Value);
            if (SpinUntil(() => b.Count == 0))
            {
                result.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        return [.. result];
    }

    private static double[] InvalidatePropagation(DialogueCache a, DialogueCache b, int samples)
    {
        var result = new List<double>(samples);
        for (var s = 0; s < samples; s++)
        {
            a.Set(Key, Value);

            // Let A's set message arrive first, so it cannot be mistaken for the invalidation.
            Thread.Sleep(2);
            if (b.Get(Key) is null || b.Count != 1)
            {
                continue;
            }

            var start = Stopwatch.GetTimestamp();
            a.Invalidate(Key);
            if (SpinUntil(() => b.Count == 0))
            {
                result.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        return [.. result];
    }

    private static bool SpinUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.SpinWait(20);
        }

        return true;
    }

    private static void WaitUntil(Func<bool> condition)
    {
        if (!SpinUntil(condition))
        {
            throw new InvalidOperationException("The nodes did not settle within a second.");
        }
    }

    private static void Row(string server, string measurement, double[] microseconds)
    {
        if (microseconds.Length == 0)
        {
            Console.WriteLine($"| {server} | {measurement} | n/a | n/a |");
            return;
        }

        Array.Sort(microseconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {server} | {measurement} ({microseconds.Length} samples) | {Format(Percentile(microseconds, 0.50))} | {Format(Percentile(microseconds, 0.99))} |"));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Format(double microseconds) => microseconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{microseconds * 1000:0} ns")
        : string.Create(CultureInfo.InvariantCulture, $"{microseconds:0.0} µs");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
