using System.ComponentModel.DataAnnotations;

namespace WebSample.Admin;

/// <summary>The admin API's key (<c>WebSample:Admin</c>). Without a key the admin API is disabled, not open.</summary>
internal sealed class AdminApiOptions : IValidatableObject
{
    /// <summary>The configuration section, below the sample's own (<c>WebSample</c>).</summary>
    public const string SectionName = "Admin";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The shortest key accepted: anything shorter is guessable.</summary>
    public const int MinKeyLength = 16;

    /// <summary>
    /// The key every <c>/cache/...</c> request must send in <see cref="HeaderName"/>; at least <see cref="MinKeyLength"/>
    /// characters. Not set (the default): the admin endpoints answer 403. Keep it out of files: user secrets or the
    /// environment variable <c>WebSample__Admin__ApiKey</c>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether a key is configured.</summary>
    public bool Enabled => !string.IsNullOrEmpty(ApiKey);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApiKey is { Length: > 0 } key && (key.Length < MinKeyLength || string.IsNullOrWhiteSpace(key)))
        {
            yield return new ValidationResult(
                $"WebSample:Admin:ApiKey must be at least {MinKeyLength} characters (was {key.Length}); leave it empty to disable the admin API.",
                [nameof(ApiKey)]);
        }
    }
}
