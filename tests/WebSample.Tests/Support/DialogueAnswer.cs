namespace WebSample.Tests.Support;

/// <summary>A <c>POST /dialogue</c> answer: the body's fields and the X-Cache header.</summary>
internal sealed record DialogueAnswer(string Response, bool Cached, double LatencyMs, string CacheHeader);
