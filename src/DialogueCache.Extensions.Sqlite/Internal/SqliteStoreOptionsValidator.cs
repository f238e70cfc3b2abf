using Microsoft.Extensions.Options;

namespace Dialogue.Caching.Sqlite.Internal;

/// <summary>
/// Checks <see cref="SqliteStoreOptions"/>: used by the store's constructor and, through dependency injection,
/// when the host starts, so a bad setting is reported by name before the first request.
/// </summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every bad option.</summary>
    public static void ThrowIfInvalid(SqliteStoreOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var failures = Failures(options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    private static IEnumerable<string> Failures(SqliteStoreOptions options)
    {
        if (!Enum.IsDefined(options.WriteMode))
        {
            yield return $"SqliteStoreOptions.WriteMode '{options.WriteMode}' is not a known mode.";
        }

        if (options.FlushInterval <= TimeSpan.Zero)
        {
            yield return $"SqliteStoreOptions.FlushInterval must be greater than zero (was {options.FlushInterval}).";
        }

        if (options.MaxQueueLength <= 0)
        {
            yield return $"SqliteStoreOptions.MaxQueueLength must be greater than 0 (was {options.MaxQueueLength}).";
        }

        if (options.MaxRows is <= 0)
        {
            yield return $"SqliteStoreOptions.MaxRows must be greater than 0 when set (was {options.MaxRows}).";
        }

        if (options.CleanupInterval <= TimeSpan.Zero)
        {
            yield return $"SqliteStoreOptions.CleanupInterval must be greater than zero (was {options.CleanupInterval}).";
        }

        if (options.BusyTimeout < TimeSpan.FromMilliseconds(1) || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            yield return $"SqliteStoreOptions.BusyTimeout must be from 1 ms to {int.MaxValue} ms (was {options.BusyTimeout}).";
        }
    }
}
