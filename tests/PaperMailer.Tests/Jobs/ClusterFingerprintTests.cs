using Npgsql;
using PaperMailer.Jobs;
using PaperMailer.Storage;
using PaperMailer.Storage.Postgres;
using PaperMailer.Subscriptions;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Jobs;

/// <summary>
/// Nodes of a cluster must send with the same templates, sign links with the same key and sign mail with the same
/// DKIM key. Each node's fingerprint (digests of the three, never a key) is compared with the live nodes' in the
/// database when it starts.
/// </summary>
public class ClusterFingerprintTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static string CopyOfTemplates(TempFolder folder, string name)
    {
        var copy = folder.File(name);
        foreach (var file in Directory.EnumerateFiles(TestRepository.PathOf("templates"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(TestRepository.PathOf("templates"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    [Fact]
    public void Two_copies_of_one_templates_folder_agree_and_one_edited_byte_does_not()
    {
        using var folder = new TempFolder();
        var first = CopyOfTemplates(folder, "node-a");
        var second = CopyOfTemplates(folder, "node-b");
        Assert.Equal(NodeFingerprint.OfTemplates(first), NodeFingerprint.OfTemplates(second));

        File.AppendAllText(Path.Combine(second, "partials", "html-paper.sbn"), " ");

        Assert.NotEqual(NodeFingerprint.OfTemplates(first), NodeFingerprint.OfTemplates(second));
    }

    [Fact]
    public void The_key_digest_tells_keys_apart_and_shows_nothing_of_the_key()
    {
        var digest = NodeFingerprint.OfSigningKey(Key);
        var other = NodeFingerprint.OfSigningKey([.. Key[..^1], 0]);

        Assert.NotEqual(digest, other);
        Assert.Equal(digest, NodeFingerprint.OfSigningKey([.. Key]));
        Assert.DoesNotContain(Convert.ToHexStringLower(Key)[..16], digest);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Key)), digest);
    }

    [Fact]
    public void The_refusal_says_which_differs_and_how_to_fix_it_in_one_sentence()
    {
        var running = new ClusterNode("host-a:100:aa", "t1", "k1", "d1");
        var web = new WebOptions { SigningKeyFile = "data/signing.key" };

        var templates = PaperMailer.Jobs.ClusterMembership.Refusal(running with { NodeId = "me" } with { TemplatesHash = "t2" }, running, web);
        var key = PaperMailer.Jobs.ClusterMembership.Refusal(running with { NodeId = "me" } with { SigningKeyHash = "k2" }, running, web);

        Assert.Equal("This node cannot join the cluster: its templates (Templates:Directory) differ from the running node host-a:100:aa's; copy the running nodes' templates folder to this node (or stop every node to change the templates, then start them with the new ones).", templates);
        Assert.Equal("This node cannot join the cluster: its signing key differs from the running node host-a:100:aa's; give this node the running nodes' key in the file data/signing.key (Web:SigningKeyFile).", key);
    }

    [Fact]
    public void A_refusal_for_several_differences_names_each_with_its_fix()
    {
        var running = new ClusterNode("host-a:100:aa", "t1", "k1", "d1");
        var web = new WebOptions { SigningKey = "configured" };

        var dkim = PaperMailer.Jobs.ClusterMembership.Refusal(running with { NodeId = "me", DkimHash = "d2" }, running, web);
        var all = PaperMailer.Jobs.ClusterMembership.Refusal(new ClusterNode("me", "t2", "k2", "d2"), running, web);

        Assert.Equal("This node cannot join the cluster: its DKIM key (Dkim:Domain, Dkim:Selector, Dkim:PrivateKeyFile) differs from the running node host-a:100:aa's; give this node the running nodes' Dkim settings and key file.", dkim);
        Assert.Equal("This node cannot join the cluster: its templates (Templates:Directory), its signing key and its DKIM key (Dkim:Domain, Dkim:Selector, Dkim:PrivateKeyFile) differ from the running node host-a:100:aa's; "
            + "copy the running nodes' templates folder to this node (or stop every node to change the templates, then start them with the new ones), give this node the running nodes' key in Web:SigningKey and give this node the running nodes' Dkim settings and key file.", all);
    }

    [Fact]
    public void The_dkim_digest_is_of_what_recipients_verify_so_two_files_of_one_key_agree_and_another_key_or_selector_does_not()
    {
        using var folder = new TempFolder();
        using var key = System.Security.Cryptography.RSA.Create(2048);
        File.WriteAllText(folder.File("pkcs8.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(folder.File("pkcs1.pem"), key.ExportRSAPrivateKeyPem());
        using var other = System.Security.Cryptography.RSA.Create(2048);
        File.WriteAllText(folder.File("other.pem"), other.ExportPkcs8PrivateKeyPem());
        string Of(string file, string selector = "s1")
        {
            using var signer = new PaperMailer.Deliver.Dkim.DkimMessageSigner(Microsoft.Extensions.Options.Options.Create(
                new PaperMailer.Deliver.Dkim.DkimOptions { Domain = "papers.example.org", Selector = selector, PrivateKeyFile = folder.File(file) }));
            return NodeFingerprint.OfDkim(signer.SigningIdentity);
        }
        using var off = new PaperMailer.Deliver.Dkim.DkimMessageSigner(Microsoft.Extensions.Options.Options.Create(new PaperMailer.Deliver.Dkim.DkimOptions()));

        Assert.Equal(Of("pkcs8.pem"), Of("pkcs1.pem"));
        Assert.NotEqual(Of("pkcs8.pem"), Of("other.pem"));
        Assert.NotEqual(Of("pkcs8.pem"), Of("pkcs8.pem", selector: "s2"));
        Assert.NotEqual(Of("pkcs8.pem"), NodeFingerprint.OfDkim(off.SigningIdentity));
    }

    /// <summary>The table is a schema step: a node joins after the start-up migration, as `run` does.</summary>
    private static async Task<PostgresDatabase> MigratedAsync(PostgresTestDatabase database)
    {
        var store = new PostgresDatabase(database.ConnectionString);
        await store.MigrateAsync();
        return store;
    }

    [PostgresFact]
    public async Task A_node_with_other_templates_or_another_key_is_refused_while_a_different_node_is_alive()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = await MigratedAsync(database);
        var source = store.DataSource;
        var nodes = new PostgresClusterNodes(source);
        var live = TimeSpan.FromMinutes(1);

        Assert.Null(await nodes.JoinAsync(new ClusterNode("a", "t1", "k1", "d1"), live));
        Assert.Null(await nodes.JoinAsync(new ClusterNode("b", "t1", "k1", "d1"), live));
        Assert.Equal("t1", (await nodes.JoinAsync(new ClusterNode("c", "t2", "k1", "d1"), live))?.TemplatesHash);
        Assert.Equal("k1", (await nodes.JoinAsync(new ClusterNode("d", "t1", "k2", "d1"), live))?.SigningKeyHash);
        Assert.Equal("d1", (await nodes.JoinAsync(new ClusterNode("g", "t1", "k1", "d2"), live))?.DkimHash);
        // A refused node was not recorded: it blocks nobody.
        Assert.Null(await nodes.JoinAsync(new ClusterNode("e", "t1", "k1", "d1"), live));

        // Once every node with the old templates has stopped, the cluster takes the new ones.
        foreach (var id in new[] { "a", "b", "e" }) await nodes.LeaveAsync(id);
        Assert.Null(await nodes.JoinAsync(new ClusterNode("c", "t2", "k1", "d1"), live));
        Assert.NotNull(await nodes.JoinAsync(new ClusterNode("f", "t1", "k1", "d1"), live));
    }

    [PostgresFact]
    public async Task A_node_that_stopped_checking_in_no_longer_counts()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = await MigratedAsync(database);
        var source = store.DataSource;
        var nodes = new PostgresClusterNodes(source);
        Assert.Null(await nodes.JoinAsync(new ClusterNode("killed", "t1", "k1", "d1"), TimeSpan.FromMinutes(1)));
        await using (var age = source.CreateCommand("UPDATE cluster_nodes SET seen_at = now() - interval '2 minutes'")) await age.ExecuteNonQueryAsync();

        Assert.Null(await nodes.JoinAsync(new ClusterNode("new", "t2", "k2", "d1"), TimeSpan.FromMinutes(1)));
        await nodes.SeenAsync("new");
        Assert.NotNull(await nodes.JoinAsync(new ClusterNode("other", "t1", "k1", "d1"), TimeSpan.FromMinutes(1)));
    }

    [PostgresFact]
    public async Task Nodes_with_different_templates_starting_at_once_are_never_both_let_in()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = await MigratedAsync(database);
        var source = store.DataSource;
        var nodes = new PostgresClusterNodes(source);

        var joins = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => nodes.JoinAsync(new ClusterNode($"n{i}", $"t{i % 2}", "k", "d1"), TimeSpan.FromMinutes(1)))));

        var admitted = Enumerable.Range(0, 6).Where(i => joins[i] is null).Select(i => i % 2).Distinct().ToList();
        Assert.Single(admitted);
    }
}
