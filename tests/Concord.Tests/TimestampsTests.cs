using Concord.Core.Common;

namespace Concord.Tests;

public sealed class TimestampsTests
{
    [Fact]
    public void StoredInstantsReadBackExactly()
    {
        var at = new DateTimeOffset(2026, 11, 25, 19, 41, 7, TimeSpan.Zero).AddTicks(1234567);

        Assert.Equal(at, Timestamps.Parse(Timestamps.Format(at)));
    }

    [Theory]
    [InlineData("2026-11-25T19:41:07Z")]
    [InlineData("2026-11-25T21:41:07+02:00")]
    public void OtherIsoFormsStillRead(string text)
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 19, 41, 7, TimeSpan.Zero), Timestamps.Parse(text));
    }
}
