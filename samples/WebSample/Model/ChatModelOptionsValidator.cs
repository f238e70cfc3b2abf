using Microsoft.Extensions.Options;

namespace WebSample.Model;

/// <summary>Validates <see cref="ChatModelOptions"/> when the host starts (source-generated from its attributes).</summary>
[OptionsValidator]
internal sealed partial class ChatModelOptionsValidator : IValidateOptions<ChatModelOptions>;
