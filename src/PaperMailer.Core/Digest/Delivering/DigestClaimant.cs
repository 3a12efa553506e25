using System.Security.Cryptography;
using PaperMailer.Storage;

namespace PaperMailer.Digest.Delivering;

/// <summary>One run's identity in the ledger ("host:pid:random"), and the lease it takes on what it claims.</summary>
public sealed class DigestClaimant(TimeSpan lease)
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public TimeSpan Lease { get; } = lease;

    public DigestClaim At(DateTimeOffset now) => new(Id, now, now + Lease);
}
