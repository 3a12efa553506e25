namespace PaperMailer.Storage;

/// <summary>
/// The nodes of a cluster that are alive (they record themselves every check-in interval), each with the fingerprint
/// of what it sends with: the digests of its templates, of its signing key and of its DKIM identity. A node whose
/// fingerprint differs from a live node's is refused when it joins, so a cluster never sends from two template sets,
/// signs links with two keys or signs mail with two DKIM keys.
/// Times are the database's, so the nodes' clocks do not enter into liveness.
/// </summary>
public interface IClusterNodes
{
    /// <summary>
    /// Records <paramref name="node"/> as alive unless a node seen within <paramref name="liveWithin"/> has another
    /// fingerprint; returns that node (nothing recorded), or null once joined. Nodes joining at once are taken one at a time.
    /// </summary>
    Task<ClusterNode?> JoinAsync(ClusterNode node, TimeSpan liveWithin, CancellationToken cancellationToken = default);

    /// <summary>Records that the node is still alive.</summary>
    Task SeenAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>Removes the node (it stopped), so that a restart with other templates is not compared with it.</summary>
    Task LeaveAsync(string nodeId, CancellationToken cancellationToken = default);
}

/// <param name="TemplatesHash">SHA-256 of the template files' names and content.</param>
/// <param name="SigningKeyHash">SHA-256 of the signing key (never the key).</param>
/// <param name="DkimHash">SHA-256 of the DKIM domain, selector and public key (of the empty text when DKIM is off).</param>
public sealed record ClusterNode(string NodeId, string TemplatesHash, string SigningKeyHash, string DkimHash);
