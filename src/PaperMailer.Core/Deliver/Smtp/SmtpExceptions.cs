namespace PaperMailer.Deliver.Smtp;

/// <summary>The server answered a connection step (greeting, EHLO, STARTTLS, AUTH) with a refusal.</summary>
public sealed class SmtpReplyException(string step, SmtpReply reply)
    : IOException($"{step} refused: {reply}")
{
    public SmtpReply Reply { get; } = reply;

    public string Step { get; } = step;
}

/// <summary>The server sent something that is not SMTP, or took longer than the step's time limit.</summary>
public sealed class SmtpProtocolException(string message) : IOException(message);
