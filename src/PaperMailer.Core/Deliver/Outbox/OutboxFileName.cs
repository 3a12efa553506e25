using System.Security.Cryptography;
using System.Text;

namespace PaperMailer.Deliver.Outbox;

/// <summary>
/// The outbox file name of a message, from its Message-ID (with or without angle brackets):
/// "&lt;pm.2026-11-22.17.x8k2@example.org&gt;" gives "pm.2026-11-22.17.x8k2@example.org.eml". The same Message-ID always gives the same name, so a resent
/// message replaces its earlier file.
/// </summary>
internal static class OutboxFileName
{
    // Leaves room for the hash suffix and ".eml" within the 255-byte name limit of common file systems.
    private const int MaxStemLength = 180;

    public static string For(string messageId)
    {
        string id = messageId.Trim().TrimStart('<').TrimEnd('>');
        var stem = new StringBuilder(Math.Min(id.Length, MaxStemLength));
        foreach (char c in id)
        {
            if (stem.Length == MaxStemLength)
            {
                break;
            }

            // Letters, digits and a few punctuation marks are safe on every file system and in shells.
            stem.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '+' or '=' ? c : '_');
        }

        // A name that had to be changed (or a leading dot, which would hide the file) gets a hash of the whole
        // Message-ID, so two different IDs that sanitize alike still get different files.
        if (stem.Length == 0 || stem.ToString() != id || stem[0] == '.')
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("<" + id + ">"));
            stem.Append('-').Append(Convert.ToHexStringLower(hash, 0, 6));
            if (stem[0] == '.')
            {
                stem[0] = '_';
            }
        }

        return stem + ".eml";
    }
}
