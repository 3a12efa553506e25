using System.Net;
using System.Net.Security;

namespace PaperMailer.Deliver.Smtp;

/// <summary>
/// Lets STARTTLS to chosen hosts accept certificates that fail validation (self-signed test servers).
/// System.Net.Mail.SmtpClient has no per-client validation callback: its STARTTLS code (still in .NET 10) hands
/// the process-wide <c>ServicePointManager.ServerCertificateValidationCallback</c> to its SslStream. That API is
/// obsolete (SYSLIB0014) but is the only hook, so it is used here, and only here, with the warning suppressed.
/// The callback installed is narrow: it waives errors only for hosts registered by a live transport, and leaves
/// every other connection to the callback that was there before (or to normal validation when there was none).
/// HttpClient in .NET does not read this callback, so web requests are not affected.
/// </summary>
internal static class SmtpCertificateValidation
{
    // Host -> number of live registrations (transports), so one transport's Dispose does not affect another's.
    private static readonly Dictionary<string, int> AcceptingHosts = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lock Gate = new();
    private static bool s_installed;

    /// <summary>Waives certificate errors for <paramref name="host"/> until the result is disposed.</summary>
    public static IDisposable AcceptAnyCertificateFrom(string host)
    {
        lock (Gate)
        {
            AcceptingHosts[host] = AcceptingHosts.GetValueOrDefault(host) + 1;
            if (!s_installed)
            {
#pragma warning disable SYSLIB0014 // Obsolete ServicePointManager: System.Net.Mail offers no other way to validate certificates.
                RemoteCertificateValidationCallback? previous = ServicePointManager.ServerCertificateValidationCallback;
                ServicePointManager.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
                    (errors != SslPolicyErrors.None && sender is SslStream stream && IsAccepting(stream.TargetHostName))
                    || (previous?.Invoke(sender, certificate, chain, errors) ?? errors == SslPolicyErrors.None);
#pragma warning restore SYSLIB0014
                s_installed = true;
            }
        }

        return new Registration(host);
    }

    private static bool IsAccepting(string host)
    {
        lock (Gate)
        {
            return AcceptingHosts.ContainsKey(host);
        }
    }

    private sealed class Registration(string host) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (Gate)
            {
                if (--AcceptingHosts[host] == 0)
                {
                    AcceptingHosts.Remove(host);
                }
            }
        }
    }
}
