namespace PaperMailer.Testing;

/// <summary>
/// The real servers scripts/test-servers.sh starts, found through the variables it prints. A missing variable
/// throws with the reason, so a test that [SmtpServerFact] lets run on CI fails there instead of passing.
/// </summary>
public static class TestServers
{
    public const string SmtpVariable = "PAPERMAILER_TEST_SMTP";
    public const string StartTlsVariable = "PAPERMAILER_TEST_SMTP_STARTTLS";
    public const string ImplicitTlsVariable = "PAPERMAILER_TEST_SMTP_TLS";
    public const string LoginOnlyVariable = "PAPERMAILER_TEST_SMTP_LOGIN";
    public const string SmtpUtf8Variable = "PAPERMAILER_TEST_SMTP_UTF8";
    public const string MessageLimitVariable = "PAPERMAILER_TEST_SMTP_LIMIT";
    public const string ChunkingVariable = "PAPERMAILER_TEST_SMTP_CHUNKING";
    public const string UserVariable = "PAPERMAILER_TEST_SMTP_USER";
    public const string PasswordVariable = "PAPERMAILER_TEST_SMTP_PASSWORD";
    public const string MaildirVariable = "PAPERMAILER_TEST_MAILDIR";
    public const string PostfixVariable = "PAPERMAILER_TEST_POSTFIX";
    public const string ImapVariable = "PAPERMAILER_TEST_IMAP";
    public const string ImapUserVariable = "PAPERMAILER_TEST_IMAP_USER";
    public const string ImapPasswordVariable = "PAPERMAILER_TEST_IMAP_PASSWORD";

    public static string MissingReason(string variable) =>
        $"No SMTP test server: {variable} is not set (scripts/test-servers.sh start provides one)";

    /// <summary>Plain SMTP; every message lands in <see cref="Maildir"/>.</summary>
    public static (string Host, int Port) Smtp => Endpoint(SmtpVariable);

    /// <summary>Same store as <see cref="Smtp"/>, but STARTTLS (self-signed certificate) and AUTH are required.</summary>
    public static (string Host, int Port) StartTls => Endpoint(StartTlsVariable);

    /// <summary>Same store as <see cref="Smtp"/>, TLS from the first byte (self-signed certificate), no AUTH.</summary>
    public static (string Host, int Port) ImplicitTls => Endpoint(ImplicitTlsVariable);

    /// <summary>Like <see cref="StartTls"/> (same user and store), but AUTH LOGIN is the only mechanism offered.</summary>
    public static (string Host, int Port) LoginOnly => Endpoint(LoginOnlyVariable);

    /// <summary>Like <see cref="Smtp"/>, but SMTPUTF8 is offered (the plain listener does not offer it).</summary>
    public static (string Host, int Port) SmtpUtf8 => Endpoint(SmtpUtf8Variable);

    /// <summary>
    /// Like <see cref="Smtp"/>, but takes <see cref="MessagesPerConnection"/> messages per connection, then says 421
    /// and closes it at once: the client finds out only when it next uses the connection.
    /// </summary>
    public static (string Host, int Port) MessageLimit => Endpoint(MessageLimitVariable);

    /// <summary>The limit of <see cref="MessageLimit"/> (scripts/test-servers.sh starts it with 3).</summary>
    public const int MessagesPerConnection = 3;

    /// <summary>Like <see cref="Smtp"/>, but offers CHUNKING: messages arrive by BDAT (the file says X-Transfer: BDAT).</summary>
    public static (string Host, int Port) Chunking => Endpoint(ChunkingVariable);

    public static string User => Require(UserVariable);

    public static string Password => Require(PasswordVariable);

    public static TestMaildir Maildir => new(Require(MaildirVariable));

    /// <summary>A real Postfix that accepts everything from 127.0.0.1 and discards it; STARTTLS offered.</summary>
    public static (string Host, int Port) Postfix => Endpoint(PostfixVariable);

    public static string ImapMissingReason =>
        $"No IMAP test server: {ImapVariable} is not set (scripts/test-servers.sh start provides one as root with Debian's dovecot-imapd)";

    /// <summary>A real Dovecot: plaintext login as <see cref="ImapUser"/>, Maildir storage; tests work in folders of their own.</summary>
    public static (string Host, int Port) Imap => Endpoint(ImapVariable, ImapMissingReason);

    public static string ImapUser => TestEnvironment.Require(ImapUserVariable, ImapMissingReason);

    public static string ImapPassword => TestEnvironment.Require(ImapPasswordVariable, ImapMissingReason);

    private static string Require(string variable) => TestEnvironment.Require(variable, MissingReason(variable));

    private static (string Host, int Port) Endpoint(string variable, string? missingReason = null)
    {
        string value = missingReason is null ? Require(variable) : TestEnvironment.Require(variable, missingReason);
        int colon = value.LastIndexOf(':');
        return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
