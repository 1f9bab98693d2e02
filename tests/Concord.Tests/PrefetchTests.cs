using Concord.Core.Common;

namespace Concord.Tests;

/// <summary>The read-ahead a full sync uses to read both sides at once.</summary>
public sealed class PrefetchTests
{
    [Fact]
    public void ReadAheadKeepsEveryItemInOrder()
    {
        var items = Prefetch.Ahead(Enumerable.Range(0, 10_000), chunkSize: 64, chunksAhead: 2).ToList();

        Assert.Equal(Enumerable.Range(0, 10_000), items);
    }

    [Fact]
    public void ReadAheadSurfacesTheProducersErrorToTheConsumer()
    {
        static IEnumerable<int> Failing()
        {
            yield return 1;
            throw new InvalidDataException("the side went away");
        }

        var error = Assert.Throws<InvalidDataException>(() => Prefetch.Ahead(Failing()).ToList());
        Assert.Equal("the side went away", error.Message);
    }

    [Fact]
    public void ReadAheadStopsAndReleasesTheSourceWhenTheConsumerStopsEarly()
    {
        var disposed = false;
        IEnumerable<int> Endless()
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    yield return i;
                }
            }
            finally
            {
                disposed = true;
            }
        }

        var first = Prefetch.Ahead(Endless(), chunkSize: 16, chunksAhead: 2).Take(5).ToList();

        Assert.Equal([0, 1, 2, 3, 4], first);
        Assert.True(disposed);
    }
}
