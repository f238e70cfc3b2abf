using System.Diagnostics;
using System.Globalization;
using Dialogue.Caching;
using Dialogue.Caching.Sqlite;

namespace Dialogue.Caching.IntegrationTests.Worker;

/// <summary>
/// <c>write &lt;file&gt; &lt;WriteBehind|WriteThrough&gt; &lt;key prefix&gt; &lt;count, 0 = until killed&gt; &lt;flush interval ms&gt;
/// [max queue length] [pause 1 ms every N writes]</c>: opens the file through a cache and a SQLite store, prints <c>ready</c>, then sets numbered entries and prints
/// <c>ack &lt;key&gt; &lt;Stopwatch timestamp&gt;</c> after each <c>Set</c> returns; a finite run disposes the store and
/// prints <c>done errors=&lt;store errors&gt;</c>.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is not ["write", var path, var mode, var prefix, var countText, var flushText, .. var rest] || rest.Length > 2)
        {
            await Console.Error.WriteLineAsync("usage: write <file> <WriteBehind|WriteThrough> <prefix> <count> <flush interval ms> [max queue length] [pause every N writes]");
            return 2;
        }

        var count = int.Parse(countText, CultureInfo.InvariantCulture);
        var pauseEvery = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 0;
        var options = new SqliteStoreOptions
        {
            WriteMode = Enum.Parse<SqliteWriteMode>(mode),
            FlushInterval = TimeSpan.FromMilliseconds(int.Parse(flushText, CultureInfo.InvariantCulture)),
            BusyTimeout = TimeSpan.FromSeconds(30),
            MaxRows = int.MaxValue,
        };
        if (rest.Length > 0)
        {
            options.MaxQueueLength = int.Parse(rest[0], CultureInfo.InvariantCulture);
        }

        var store = new SqliteDialogueCacheStore($"Data Source={path}", options);
        using var cache = new DialogueCache(new DialogueCacheOptions { MaxSize = 1_000_000 }, store);
        await store.StartAsync(CancellationToken.None);
        Console.Out.WriteLine("ready");

        for (var i = 0; count == 0 || i < count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{prefix}:{i}");
            cache.Set(key, ValueOf(key), TimeSpan.FromHours(1));
            // Console.Out flushes every line: once printed, the test has seen the acknowledgement.
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {key} {Stopwatch.GetTimestamp()}"));
            if (pauseEvery > 0 && i % pauseEvery == pauseEvery - 1)
            {
                // A steady pace (the child runs on the real clock), so each flush is a batch of ordinary size.
                Thread.Sleep(1);
            }
        }

        await store.DisposeAsync();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done errors={cache.Analytics().StoreErrors}"));
        return 0;
    }

    /// <summary>The value written for <paramref name="key"/>; the tests compute the same.</summary>
    public static string ValueOf(string key) => $"the reply stored under {key}, padded to look like a line of dialogue.";
}
