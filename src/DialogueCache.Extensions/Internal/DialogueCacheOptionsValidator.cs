using Microsoft.Extensions.Options;

namespace Dialogue.Caching.Internal;

/// <summary>
/// Checks <see cref="DialogueCacheOptions"/>: used by the cache's constructors and, through dependency
/// injection, when the host starts, so a bad setting is reported by name before the first request.
/// </summary>
internal sealed class DialogueCacheOptionsValidator : IValidateOptions<DialogueCacheOptions>
{
    /// <summary>Most keys <see cref="DialogueCacheOptions.TopKeysCount"/> may ask for.</summary>
    public const int MaxTopKeysCount = 1000;

    public ValidateOptionsResult Validate(string? name, DialogueCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every bad option.</summary>
    public static void ThrowIfInvalid(DialogueCacheOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var failures = Failures(options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    private static IEnumerable<string> Failures(DialogueCacheOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            yield return "DialogueCacheOptions.Name must not be empty.";
        }

        if (options.MaxSize <= 0)
        {
            yield return $"DialogueCacheOptions.MaxSize must be greater than 0 (was {options.MaxSize}).";
        }

        if (options.Ttl <= TimeSpan.Zero)
        {
            yield return $"DialogueCacheOptions.Ttl must be greater than zero (was {options.Ttl}).";
        }

        if (options.SweepInterval <= TimeSpan.Zero)
        {
            yield return $"DialogueCacheOptions.SweepInterval must be greater than zero (was {options.SweepInterval}).";
        }

        if (options.TopKeysCount is < 0 or > MaxTopKeysCount)
        {
            yield return $"DialogueCacheOptions.TopKeysCount must be from 0 to {MaxTopKeysCount} (was {options.TopKeysCount}).";
        }

        if (options.PrewarmFiles is null)
        {
            yield return "DialogueCacheOptions.PrewarmFiles must not be null.";
        }
        else
        {
            for (var i = 0; i < options.PrewarmFiles.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(options.PrewarmFiles[i]))
                {
                    yield return $"DialogueCacheOptions.PrewarmFiles[{i}] must not be empty.";
                }
            }
        }

        if (!Enum.IsDefined(options.EvictionPolicy))
        {
            yield return $"DialogueCacheOptions.EvictionPolicy '{options.EvictionPolicy}' is not a known policy.";
        }
    }
}
