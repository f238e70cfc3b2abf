using Microsoft.Extensions.Options;

namespace WebSample.Dashboard;

/// <summary>Validates <see cref="DashboardOptions"/> when the host starts.</summary>
[OptionsValidator]
internal sealed partial class DashboardOptionsValidator : IValidateOptions<DashboardOptions>;
