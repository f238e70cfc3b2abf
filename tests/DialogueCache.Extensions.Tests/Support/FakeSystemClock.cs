using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Dialogue.Caching.Tests.Support;

/// <summary>Lets Microsoft's MemoryCache, which takes an <see cref="ISystemClock"/>, run on a FakeTimeProvider.</summary>
internal sealed class FakeSystemClock(FakeTimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
