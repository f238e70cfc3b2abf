using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WebSample.Model;

/// <summary>Which chat model answers on a cache miss, and how (<c>WebSample:Model</c>).</summary>
internal sealed class ChatModelOptions : IValidatableObject
{
    /// <summary>The configuration section, below the sample's own (<c>WebSample</c>).</summary>
    public const string SectionName = "Model";

    /// <summary><c>Simulated</c> (the default: no server, no key) or <c>OpenAI</c>.</summary>
    public ChatModelProvider Provider { get; set; } = ChatModelProvider.Simulated;

    /// <summary>How long a dialogue request waits for the model before it answers 504 (1 second to 10 minutes; default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The simulated model's settings.</summary>
    [ValidateObjectMembers]
    public SimulatedModelOptions Simulated { get; set; } = new();

    /// <summary>The OpenAI provider's settings.</summary>
    public OpenAIModelOptions OpenAI { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult($"WebSample:Model:Provider must be Simulated or OpenAI (was {Provider}).", [nameof(Provider)]);
        }

        if (Provider == ChatModelProvider.OpenAI)
        {
            if (string.IsNullOrWhiteSpace(OpenAI.ApiKey))
            {
                yield return new ValidationResult(
                    "WebSample:Model:OpenAI:ApiKey is required when WebSample:Model:Provider is OpenAI " +
                    "(set it with user secrets or the environment variable WebSample__Model__OpenAI__ApiKey).",
                    [nameof(OpenAI)]);
            }

            if (string.IsNullOrWhiteSpace(OpenAI.Model))
            {
                yield return new ValidationResult("WebSample:Model:OpenAI:Model must name a model, e.g. gpt-4o-mini.", [nameof(OpenAI)]);
            }

            if (OpenAI.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
            {
                yield return new ValidationResult($"WebSample:Model:OpenAI:Endpoint must be an absolute http or https URL (was '{endpoint}').", [nameof(OpenAI)]);
            }
        }
    }
}
