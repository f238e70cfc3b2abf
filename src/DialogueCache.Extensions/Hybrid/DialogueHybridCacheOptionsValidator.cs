using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Dialogue.Caching.Hybrid;

/// <summary>
/// Checks <see cref="DialogueHybridCacheOptions"/>: when the face is built and, through dependency injection,
/// when the host starts.
/// </summary>
internal sealed class DialogueHybridCacheOptionsValidator : IValidateOptions<DialogueHybridCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, DialogueHybridCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every bad option.</summary>
    public static void ThrowIfInvalid(DialogueHybridCacheOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var failures = Failures(options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    private static IEnumerable<string> Failures(DialogueHybridCacheOptions options)
    {
        if (options.MaximumPayloadBytes is <= 0 or > int.MaxValue)
        {
            yield return $"DialogueHybridCacheOptions.MaximumPayloadBytes must be from 1 to {int.MaxValue} (was {options.MaximumPayloadBytes}).";
        }

        if (options.MaximumKeyLength <= 0)
        {
            yield return $"DialogueHybridCacheOptions.MaximumKeyLength must be greater than 0 (was {options.MaximumKeyLength}).";
        }

        if (options.DefaultEntryOptions is { } defaults)
        {
            if (defaults.Expiration is { } expiration && expiration <= TimeSpan.Zero)
            {
                yield return $"DialogueHybridCacheOptions.DefaultEntryOptions.Expiration must be greater than zero (was {expiration}).";
            }

            if (defaults.LocalCacheExpiration is { } local && local <= TimeSpan.Zero)
            {
                yield return $"DialogueHybridCacheOptions.DefaultEntryOptions.LocalCacheExpiration must be greater than zero (was {local}).";
            }
        }
    }
}
