using System.Globalization;

namespace WebSample.Load;

/// <summary>Starts the sample on a free loopback port, runs the load, prints the table, stops the sample.</summary>
internal static class LoadProgram
{
    public static async Task<int> Main(string[] args)
    {
        var (options, error) = LoadRunOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"WebSample.Load: {error}{Environment.NewLine}{LoadRunOptions.Usage}").ConfigureAwait(false);
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("websample-load-");
        try
        {
            var sample = await SampleProcess.StartAsync(Settings(options, folder.FullName), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            await using (sample.ConfigureAwait(false))
            {
                Console.WriteLine($"Sample (pid {sample.ProcessId}) listening on {sample.BaseAddress}; running...");
                using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30));
                var phases = await LoadRunner.RunAsync(sample.BaseAddress, options, stop.Token).ConfigureAwait(false);
                Console.WriteLine();
                Console.Write(LoadReport.Format(options, phases));
                return phases.Sum(p => p.Failures) == 0 ? 0 : 1;
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The sample's configuration for a load run: a fresh SQLite file, no NPC-lines prewarm, quiet logs.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(LoadRunOptions options, string folder)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Dictionary<string, string>
        {
            ["ConnectionStrings:DialogueCache"] = $"Data Source={Path.Combine(folder, "load.db")}",
            ["WebSample:Model:Simulated:Latency"] = options.ModelLatency.ToString("c", CultureInfo.InvariantCulture),
            ["WebSample:Prewarm:File"] = string.Empty,
            ["DialogueCache:MaxSize"] = Math.Max(1000, options.Prompts * 2).ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }
}
