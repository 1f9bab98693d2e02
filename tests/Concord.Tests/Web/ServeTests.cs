using System.Net;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests.Web;

/// <summary>
/// `concord serve` as a person starts it (U3): the API on the address asked for, a second server
/// on the same address refused in one line, and only addresses it can name (a host name would
/// listen on every interface).
/// </summary>
public sealed class ServeTests() : StoreTest(StoreKind.Sqlite)
{
    [Fact]
    public async Task U3_Serve_AnswersOnItsAddress_ASecondServerThereIsRefusedInOneLine_ExitCode1()
    {
        var url = $"http://127.0.0.1:{Loopback.FreePort()}";
        using var first = StartExecutable(null, "serve", "--urls", url, "--poll", "0.2");
        var answer = await Loopback.AnswerAsync($"{url}/api/customers", first, TestContext.Current.CancellationToken);
        Assert.True(answer is not null, first.Stderr);
        Assert.Equal(HttpStatusCode.Unauthorized, answer!.StatusCode);

        var second = Executable("serve", "--urls", url);
        Assert.Equal(1, second.Exit);
        Assert.Contains($"cannot listen on {url}: another program", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
        Assert.Single(second.Stderr.Trim().Split('\n'));
        first.Terminate();
        Assert.Equal(0, first.Finish(TimeSpan.FromSeconds(20)).Exit);
    }

    [Fact]
    public void U3_Serve_RefusesAHostNameItWouldListenOnEveryInterfaceFor()
    {
        var refused = Executable("serve", "--urls", "http://shop.example:5080");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("'http://shop.example:5080' is not an address to listen on", refused.Stderr, StringComparison.Ordinal);
    }
}
