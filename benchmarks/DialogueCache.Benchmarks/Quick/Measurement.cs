namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>One repetition's result: the figure compared (ns per operation or Mops/s) and bytes allocated per operation.</summary>
internal readonly record struct Measurement(double Value, double BytesPerOperation);
