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

    [Fact]
    public async Task U3_U4_TheCommandLineThroughAServer_ActsAsTheKeysUser_AndItsRoleHolds()
    {
        AddSite();
        var url = $"http://127.0.0.1:{Loopback.FreePort()}";
        using var server = StartExecutable(null, "serve", "--urls", url, "--poll", "0.2");
        Assert.True(await Loopback.AnswerAsync($"{url}/api/customers", server, TestContext.Current.CancellationToken) is not null, server.Stderr);
        var clerkKey = Ok("keys", "add", "till", "--role", "clerk").Stdout.Trim();
        var viewerKey = Ok("keys", "add", "screen", "--role", "viewer").Stdout.Trim();
        CliResult Remote(string? key, params string[] args) =>
            ConcordProcess.Run(["--server", url, .. args], new Dictionary<string, string?> { ["CONCORD_API_KEY"] = key, ["CONCORD_DATA"] = "/nonexistent" });

        // The store is the server's: the client names none, and the change is the key's.
        var added = Remote(clerkKey, "customers", "add", "C1", "--name", "Cele Hardware", "--site", "Durban");
        Assert.True(added.Exit == 0, added.ToString());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE record_key = 'C1' AND user_name = 'key till'"));
        var listed = Remote(viewerKey, "customers", "list", "--json");
        Assert.True(listed.Exit == 0, listed.ToString());
        Assert.Equal("Cele Hardware", System.Text.Json.JsonDocument.Parse(listed.Stdout).RootElement[0].GetProperty("name").GetString());

        // A viewer's key cannot write, whatever --user the client would like to be.
        var refused = Remote(viewerKey, "customers", "edit", "C1", "--phone", "031 1");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("role: is viewer; to edit customers a clerk role is needed", refused.Stderr, StringComparison.Ordinal);
        var asAdmin = Remote(viewerKey, "--user", "admin", "customers", "edit", "C1", "--phone", "031 1");
        Assert.Equal(1, asAdmin.Exit);
        Assert.Contains("--user: through a server, commands act on the server's store as the API key's user", asAdmin.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers WHERE phone = '031 1'"));
        var import = Remote(clerkKey, "import", "customers", "/etc/passwd");
        Assert.Equal(1, import.Exit);
        Assert.Contains("does not run through a server", import.Stderr, StringComparison.Ordinal);

        // No key, a key the server does not know, a server that is not there: one line each, exit 1.
        Assert.Contains("CONCORD_API_KEY, which is not set", Remote(null, "customers", "list").Stderr, StringComparison.Ordinal);
        Assert.Contains("refused the API key", Remote("concord_00", "customers", "list").Stderr, StringComparison.Ordinal);
        server.Terminate();
        Assert.Equal(0, server.Finish(TimeSpan.FromSeconds(20)).Exit);
        var down = Remote(clerkKey, "customers", "list");
        Assert.Equal(1, down.Exit);
        Assert.Contains($"cannot reach the Concord server at {url}", down.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", down.Stderr, StringComparison.Ordinal);
    }
}
