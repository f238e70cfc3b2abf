namespace Dialogue.Caching.Benchmarks.Quick;

/// <summary>The repetitions of one measurement: the median is what the tables and targets use.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public double Median
    {
        get
        {
            var sorted = _values.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => _values.Min();

    public double Max => _values.Max();

    public void Add(double value) => _values.Add(value);
}
