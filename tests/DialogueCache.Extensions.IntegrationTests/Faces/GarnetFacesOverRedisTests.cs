using Dialogue.Caching.IntegrationTests.Redis.Support;

namespace Dialogue.Caching.IntegrationTests.Faces;

/// <summary>The chat middleware and the HybridCache face on two nodes sharing Microsoft Garnet.</summary>
public sealed class GarnetFacesOverRedisTests(GarnetFixture fixture) : FacesOverRedisTests(fixture.Server), IClassFixture<GarnetFixture>;
