using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;
using PaperMailer.Testing;

namespace PaperMailer.IntegrationTests.Deliver;

/// <summary>TLS (STARTTLS and implicit), certificate checks and AUTH against the real test servers.</summary>
public sealed class SmtpSecurityTests : IDisposable
{
    private readonly DeliveryTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [SmtpServerFact(TestServers.StartTlsVariable)]
    public async Task StartTls_with_AUTH_sends_when_certificate_checks_are_skipped_and_defers_when_they_are_not()
    {
        (string host, int port) = TestServers.StartTls;
        SmtpOptions Options(bool skip, string password) => new()
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = skip, UserName = TestServers.User, Password = password,
        };
        await using var validating = _kit.Transport(Options(skip: false, TestServers.Password));
        await using var wrongPassword = _kit.Transport(Options(skip: true, "wrong"));
        await using var skipping = _kit.Transport(Options(skip: true, TestServers.Password), signed: true);

        DeliveryResult untrusted = await validating.SendAsync(_kit.Digest(0).ToMessage(), CancellationToken.None);
        DeliveryResult badLogin = await wrongPassword.SendAsync(_kit.Digest(1).ToMessage(), CancellationToken.None);
        DeliveryResult sent = await skipping.SendAsync(_kit.Digest(2).ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, untrusted.Outcome);
        Assert.StartsWith("TLS handshake failed: ", untrusted.Reply);
        Assert.EndsWith($"({host}:{port}; for a test server with a self-signed certificate: Smtp:SkipCertificateValidation=true)", untrusted.Reply);
        Assert.Equal(DeliveryResult.FromReply(DeliveryOutcome.Deferred, 535, "5.7.8 Authentication credentials invalid",
            $"AUTH refused by {host}:{port}: check the Smtp settings Security, UserName and Password"), badLogin);
        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        await _kit.AssertArrivedAloneAndSignedAsync(_kit.Digest(2));
    }

    [SmtpServerFact(TestServers.LoginOnlyVariable)]
    public async Task AUTH_LOGIN_is_used_when_it_is_the_only_mechanism_offered()
    {
        (string host, int port) = TestServers.LoginOnly;
        SmtpOptions Options(string password) => new()
        {
            Host = host, Port = port, Security = SmtpSecurity.StartTls, SkipCertificateValidation = true, UserName = TestServers.User, Password = password,
        };
        await using var transport = _kit.Transport(Options(TestServers.Password), signed: true);
        await using var wrongPassword = _kit.Transport(Options("wrong"));

        DeliveryResult badLogin = await wrongPassword.SendAsync(_kit.Digest(1).ToMessage(), CancellationToken.None);
        DeliveryResult sent = await transport.SendAsync(_kit.Digest(0).ToMessage(), CancellationToken.None);

        // A client that tried PLAIN here would get 504 (unrecognised mechanism), not 535 and not 250.
        Assert.Equal((DeliveryOutcome.Deferred, 535), (badLogin.Outcome, badLogin.StatusCode));
        Assert.Equal(DeliveryOutcome.Sent, sent.Outcome);
        await _kit.AssertArrivedAloneAndSignedAsync(_kit.Digest(0));
    }

    [SmtpServerFact(TestServers.ImplicitTlsVariable)]
    public async Task Implicit_TLS_sends_signed_messages()
    {
        (string host, int port) = TestServers.ImplicitTls;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.SslOnConnect, SkipCertificateValidation = true }, signed: true);

        DeliveryResult result = await transport.SendAsync(_kit.Digest(0).ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        await _kit.AssertArrivedAloneAndSignedAsync(_kit.Digest(0));
    }

    [SmtpServerFact]
    public async Task StartTls_required_from_a_server_that_does_not_offer_it_defers_and_names_the_setting()
    {
        (string host, int port) = TestServers.Smtp;
        await using var transport = _kit.Transport(new SmtpOptions { Host = host, Port = port, Security = SmtpSecurity.StartTls });

        DeliveryResult result = await transport.SendAsync(_kit.Digest(0).ToMessage(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Contains("STARTTLS", result.Reply);
        Assert.Contains("check the Smtp settings Security", result.Reply);
        Assert.Empty(TestServers.Maildir.FilesContaining(_kit.Run));
    }
}
