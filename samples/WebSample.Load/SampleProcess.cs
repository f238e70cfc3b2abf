using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace WebSample.Load;

/// <summary>
/// The sample web app as a child process: started with <c>dotnet exec WebSample.dll</c> on a free loopback port
/// (<c>--urls http://127.0.0.1:0</c>), with settings given as command-line configuration. Its address is read from
/// the "Now listening on" line it logs.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private const string ListeningMarker = "Now listening on: ";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleProcess(Process process) => _process = process;

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The child's process id (for dotnet-counters).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the child wrote to stdout and stderr so far.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>The sample's project folder, its content root.</summary>
    public static string ContentRoot { get; } = typeof(SampleProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebSampleContentRoot").Value!;

    /// <summary>Starts the sample and waits until it listens.</summary>
    /// <param name="settings">Configuration passed on the command line (<c>--key=value</c>), e.g. <c>WebSample:Model:Simulated:Latency</c>.</param>
    /// <param name="timeout">How long to wait for it to listen.</param>
    /// <exception cref="InvalidOperationException">It exited or did not listen in time; the message has its output.</exception>
    public static async Task<SampleProcess> StartAsync(IEnumerable<KeyValuePair<string, string>> settings, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var app = Path.Combine(AppContext.BaseDirectory, "WebSample.dll");
        if (!File.Exists(app))
        {
            throw new InvalidOperationException($"The sample was not built beside this assembly: '{app}' is missing.");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ContentRoot,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var argument in (string[])["exec", app, "--contentRoot", ContentRoot, "--urls", "http://127.0.0.1:0",
                     "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sample.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => sample.OnLine(e.Data);
        process.Exited += (_, _) => sample._address.TrySetException(
            new InvalidOperationException($"The sample exited with code {SafeExitCode(process)} before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            sample.BaseAddress = await sample._address.Task.WaitAsync(timeout).ConfigureAwait(false);
            return sample;
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            if (process.HasExited)
            {
                // Waiting for the exit also drains the output handlers: the error it printed last is in Output.
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }

            var output = sample.Output;
            await sample.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{exception.Message} Its output:{Environment.NewLine}{output}", exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        var at = line.IndexOf(ListeningMarker, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + ListeningMarker.Length)..].Trim(), UriKind.Absolute, out var address))
        {
            _address.TrySetResult(new Uri(address, "/"));
        }
    }
}
