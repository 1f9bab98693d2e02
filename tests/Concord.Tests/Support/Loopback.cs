using System.Net;
using System.Net.Sockets;

namespace Concord.Tests.Support;

/// <summary>Servers on 127.0.0.1 in tests: a port nobody listens on, and waiting for a started server to answer.</summary>
public static class Loopback
{
    /// <summary>A port free at the time of asking (the kernel's next ephemeral one).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asks <paramref name="url"/> until it answers (any status) or <paramref name="server"/> exits; null when it never answered in 20 s.</summary>
    public static async Task<HttpResponseMessage?> AnswerAsync(string url, ConcordProcess server, CancellationToken cancellation)
    {
        using var client = new HttpClient();
        for (var attempt = 0; attempt < 200 && !server.HasExited; attempt++)
        {
            try
            {
                return await client.GetAsync(url, cancellation);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, cancellation);
            }
        }
        return null;
    }
}
