using Microsoft.Extensions.Options;

namespace WebSample.Admin;

/// <summary>Validates <see cref="AdminApiOptions"/> when the host starts.</summary>
[OptionsValidator]
internal sealed partial class AdminApiOptionsValidator : IValidateOptions<AdminApiOptions>;
