using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Dialogue.Caching.IntegrationTests.Sqlite;

/// <summary>
/// The worker (DialogueCache.Extensions.IntegrationTests.Worker) as a child process: it writes numbered entries
/// to a store file and prints each acknowledged key; this side collects the acknowledgements as they arrive.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();
    private int _acks;

    private WorkerProcess(Process process) => _process = process;

    /// <summary>Acknowledged keys with the worker's <see cref="Stopwatch"/> timestamp (one clock for every process of the machine).</summary>
    public IReadOnlyList<(string Key, long Timestamp)> Acks => _lines
        .Where(line => line.StartsWith("ack ", StringComparison.Ordinal))
        .Select(line => line.Split(' '))
        .Select(parts => (parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture)))
        .ToList();

    public IReadOnlyCollection<string> Lines => _lines;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static WorkerProcess Start(string path, string mode, string prefix, int count, int flushMilliseconds,
        int maxQueueLength = 10_000, int pauseEvery = 0)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "DialogueCache.Extensions.IntegrationTests.Worker.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", worker, "write", path, mode, prefix, count.ToString(CultureInfo.InvariantCulture),
                     flushMilliseconds.ToString(CultureInfo.InvariantCulture), maxQueueLength.ToString(CultureInfo.InvariantCulture),
                     pauseEvery.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => result.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (result._errors)
                {
                    result._errors.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    public Task WaitReadyAsync() => _ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Waits until the worker has acknowledged at least <paramref name="count"/> entries.</summary>
    public async Task WaitForAcksAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref _acks) < count)
        {
            Assert.False(_process.HasExited && _exited.Task.IsCompleted, $"The worker exited early: {Errors}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"The worker acknowledged {_acks} of {count} entries in 60 s. {Errors}");
            await Task.Delay(5);
        }
    }

    /// <summary>Kills the worker as a crash would (no flush, no dispose) and waits until all it printed is read.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the worker to end by itself and for its last line.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            // End of the output: the process is gone (or closed its output) and every line it wrote has been read.
            _exited.TrySetResult();
            return;
        }

        _lines.Enqueue(line);
        if (line == "ready")
        {
            _ready.TrySetResult();
        }
        else if (line.StartsWith("ack ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _acks);
        }
    }
}
