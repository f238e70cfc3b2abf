namespace Dialogue.Caching.IntegrationTests.Faces;

/// <summary>A value the HybridCache face serializes (JSON) into the second tier.</summary>
public sealed record Greeting(string Text, int Mood);
