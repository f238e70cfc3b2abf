using Dialogue.Caching.Prewarm;

namespace Dialogue.Caching.Tests.Prewarm;

public class LineCounterTests
{
    [Fact]
    public void Locate_NothingConsumed_CountsFromLineOnePositionOne()
    {
        var lines = new LineCounter();
        var data = "ab\ncd\r\ne"u8;

        Assert.Equal(new TextLocation(1, 1), lines.Locate(data, 0));
        Assert.Equal(new TextLocation(1, 3), lines.Locate(data, 2)); // the '\n' ends line 1
        Assert.Equal(new TextLocation(2, 1), lines.Locate(data, 3));
        Assert.Equal(new TextLocation(2, 3), lines.Locate(data, 5)); // the '\r' belongs to line 2
        Assert.Equal(new TextLocation(3, 1), lines.Locate(data, 7));
        Assert.Equal(new TextLocation(3, 2), lines.Locate(data, 8)); // the end
    }

    [Fact]
    public void Locate_AfterConsumingPartOfALine_ContinuesThatLine()
    {
        var lines = new LineCounter();
        lines.Advance("x\nabc"u8);
        lines.Advance("de"u8);

        Assert.Equal(new TextLocation(2, 6), lines.Locate("fg\nh"u8, 0));
        Assert.Equal(new TextLocation(2, 7), lines.Locate("fg\nh"u8, 1));
        Assert.Equal(new TextLocation(3, 1), lines.Locate("fg\nh"u8, 3));
    }

    [Fact]
    public void Locate_AfterConsumingManyLines_CountsThemAll()
    {
        var lines = new LineCounter();
        lines.Advance("\n\n\n"u8);
        lines.Advance("a\nbb\n"u8);
        lines.Advance("日本"u8); // six bytes

        Assert.Equal(new TextLocation(6, 7), lines.Locate("z"u8, 0));
    }
}
