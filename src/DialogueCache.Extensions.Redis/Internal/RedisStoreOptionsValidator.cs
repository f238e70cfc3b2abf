using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dialogue.Caching.Redis.Internal;

/// <summary>Checks <see cref="RedisStoreOptions"/> when the host starts; every message names the option.</summary>
internal sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
{
    private const int MaxScanBatchSize = 100_000;
    private static readonly TimeSpan MaxOperationTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad option.</summary>
    public static void ThrowIfInvalid(RedisStoreOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var failures = Failures(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(failures[0], paramName);
        }
    }

    private static List<string> Failures(RedisStoreOptions options)
    {
        var failures = new List<string>();
        const string Type = nameof(RedisStoreOptions);
        if (options.ConnectionMultiplexerFactory is null)
        {
            if (string.IsNullOrWhiteSpace(options.Configuration))
            {
                failures.Add($"{Type}.{nameof(options.Configuration)} is required (a StackExchange.Redis configuration string such as \"127.0.0.1:6379\") unless {nameof(options.ConnectionMultiplexerFactory)} is set.");
            }
            else if (ParseError(options.Configuration) is { } error)
            {
                // The parser's message names the bad keyword; the string itself may hold a password and is not repeated.
                failures.Add($"{Type}.{nameof(options.Configuration)} is not a valid StackExchange.Redis configuration string: {error}");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add($"{Type}.{nameof(options.KeyPrefix)} must not be empty (it isolates this cache's keys from others on the server).");
        }

        if (options.OperationTimeout <= TimeSpan.Zero || options.OperationTimeout > MaxOperationTimeout)
        {
            failures.Add($"{Type}.{nameof(options.OperationTimeout)} must be greater than zero and at most {MaxOperationTimeout} (was {options.OperationTimeout}).");
        }

        if (options.CircuitBreakerFailureThreshold < 1)
        {
            failures.Add($"{Type}.{nameof(options.CircuitBreakerFailureThreshold)} must be at least 1 (was {options.CircuitBreakerFailureThreshold}).");
        }

        if (options.CircuitBreakerBreakDuration <= TimeSpan.Zero)
        {
            failures.Add($"{Type}.{nameof(options.CircuitBreakerBreakDuration)} must be greater than zero (was {options.CircuitBreakerBreakDuration}).");
        }

        if (options.ScanBatchSize is < 1 or > MaxScanBatchSize)
        {
            failures.Add($"{Type}.{nameof(options.ScanBatchSize)} must be from 1 to {MaxScanBatchSize} (was {options.ScanBatchSize}).");
        }

        return failures;
    }

    /// <summary>The parser's complaint about a configuration string, or null when it parses.</summary>
    public static string? ParseError(string configuration)
    {
        try
        {
            ConfigurationOptions.Parse(configuration);
            return null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }
}
