using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Concord.Core.Common;

/// <summary>
/// Reads a sequence on a pool thread, a few chunks ahead of whoever consumes it, so two long reads
/// (the two sides of a full sync) run at once. The producer's error surfaces in the consumer; a
/// consumer that stops early stops the producer and waits for it, so nothing stays open.
/// </summary>
public static class Prefetch
{
    public static IEnumerable<T> Ahead<T>(IEnumerable<T> source, int chunkSize = 2048, int chunksAhead = 8)
    {
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(chunksAhead) { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                var chunk = new List<T>(chunkSize);
                foreach (var item in source)
                {
                    chunk.Add(item);
                    if (chunk.Count == chunkSize)
                    {
                        channel.Writer.WriteAsync(chunk, stop.Token).AsTask().GetAwaiter().GetResult();
                        chunk = new List<T>(chunkSize);
                    }
                }
                if (chunk.Count > 0)
                {
                    channel.Writer.WriteAsync(chunk, stop.Token).AsTask().GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the consumer stopped early
            }
            catch (Exception error)
            {
                failure = error;
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
        try
        {
            while (channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (channel.Reader.TryRead(out var chunk))
                {
                    foreach (var item in chunk)
                    {
                        yield return item;
                    }
                }
            }
            producer.GetAwaiter().GetResult();
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            stop.Cancel();
            producer.ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
        }
    }
}
