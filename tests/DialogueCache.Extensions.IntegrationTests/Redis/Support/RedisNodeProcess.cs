using System.Diagnostics;

namespace Dialogue.Caching.IntegrationTests.Redis.Support;

/// <summary>
/// The RedisNode program (tests/DialogueCache.Extensions.IntegrationTests.RedisNode) in an OS process of its own:
/// another application server sharing the Redis server, driven one command per line.
/// </summary>
internal sealed class RedisNodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private RedisNodeProcess(Process process)
    {
        _process = process;
    }

    public static async Task<RedisNodeProcess> StartAsync(string configuration, string keyPrefix)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "DialogueCache.Extensions.IntegrationTests.RedisNode.dll");
        Assert.True(File.Exists(program), $"{program} is built with the tests");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(program);
        info.ArgumentList.Add(configuration);
        info.ArgumentList.Add(keyPrefix);
        var process = Process.Start(info)!;
        var node = new RedisNodeProcess(process);
        Assert.Equal("ready", await node.ReadLineAsync());
        return node;
    }

    public int ProcessId => _process.Id;

    /// <summary>Sends a command and returns its one-line reply.</summary>
    public async Task<string> SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReadLineAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(exited.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<string> ReadLineAsync()
    {
        using var limit = new CancellationTokenSource(ReplyLimit);
        var line = await _process.StandardOutput.ReadLineAsync(limit.Token);
        if (line is null)
        {
            var error = await _process.StandardError.ReadToEndAsync(limit.Token);
            Assert.Fail($"The RedisNode process ended: {error}");
        }

        return line;
    }
}
