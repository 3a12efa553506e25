using PaperMailer.IntegrationTests.DigestRun;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Cluster;

/// <summary>
/// A node whose templates, signing key or DKIM key differ from the running nodes' refuses to start (exit code 2, one sentence
/// saying which differs); one with the same files joins. Real `papermailer run` processes on one database.
/// </summary>
[RunsForAbout(seconds: 40)]
public sealed class ClusterJoinTests
{
    [ClusterFact]
    public async Task A_node_with_other_templates_another_signing_key_or_another_DKIM_key_is_refused_at_start()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var cluster = await ClusterSite.StartAsync(database.ConnectionString);
        var site = cluster.Site;
        await cluster.StartNodeAsync(["--Schedule:FirstDigestCheckDelay=01:00:00"]);

        var templates = Path.Combine(site.Folder, "other-templates");
        var shipped = RecordingSmtpServer.RepositoryFile("templates/digest.txt.sbn");
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(shipped)!, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(templates, Path.GetRelativePath(Path.GetDirectoryName(shipped)!, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        // The same templates elsewhere join; one edited file does not.
        var (sameExit, sameOutput) = await RunUntilJoinedOrRefusedAsync(cluster, [$"--Templates:Directory={templates}"]);
        Assert.True(sameExit is null, $"a node with a copy of the same templates was refused:\n{sameOutput}");

        File.AppendAllText(Path.Combine(templates, "digest.txt.sbn"), "\nEdited on one node only.\n");
        var (exit, output) = await RunUntilJoinedOrRefusedAsync(cluster, [$"--Templates:Directory={templates}"]);
        Assert.Equal(2, exit);
        Assert.Contains("This node cannot join the cluster: its templates (Templates:Directory) differ from the running node ", output);

        var otherKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        (exit, output) = await RunUntilJoinedOrRefusedAsync(cluster, [$"--Web:SigningKey={otherKey}"]);
        Assert.Equal(2, exit);
        Assert.Contains("This node cannot join the cluster: its signing key differs from the running node ", output);
        Assert.DoesNotContain(otherKey, output);

        // The running node signs no mail; one that would sign with a DKIM key is refused, naming the setting.
        var dkimKey = Path.Combine(site.Folder, "dkim.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048)) File.WriteAllText(dkimKey, rsa.ExportPkcs8PrivateKeyPem());
        (exit, output) = await RunUntilJoinedOrRefusedAsync(cluster, ["--Dkim:Domain=papers.example.org", "--Dkim:Selector=node", $"--Dkim:PrivateKeyFile={dkimKey}"]);
        Assert.Equal(2, exit);
        Assert.Contains("This node cannot join the cluster: its DKIM key (Dkim:Domain, Dkim:Selector, Dkim:PrivateKeyFile) differs from the running node ", output);
        Assert.DoesNotContain("PRIVATE KEY", output);
    }

    /// <summary>Starts one more node: its exit code and output if it stopped at start, or null once it has joined (then stopped).</summary>
    private static async Task<(int? Exit, string Output)> RunUntilJoinedOrRefusedAsync(ClusterSite cluster, string[] more)
    {
        using var node = PaperMailerProcess.Start(cluster.Site.Folder,
            ["run", "--urls=http://127.0.0.1:0", .. cluster.Site.Settings, .. ClusterSite.NodeSettings, "--Schedule:FirstDigestCheckDelay=01:00:00", .. more]);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!node.HasExited && !node.Output.Contains("Joined the cluster", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the node neither joined nor stopped within a minute:\n{node.Output}");
            await Task.Delay(100);
        }
        if (!node.HasExited) return (null, node.Output);
        return (await node.WaitForExitAsync(TimeSpan.FromSeconds(30)), node.Output);
    }
}
