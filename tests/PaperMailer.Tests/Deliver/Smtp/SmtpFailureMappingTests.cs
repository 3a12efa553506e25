using System.Net.Mail;
using System.Net.Sockets;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Smtp;

namespace PaperMailer.Tests.Deliver.Smtp;

public class SmtpFailureMappingTests
{
    [Theory]
    [InlineData(SmtpStatusCode.MailboxBusy, DeliveryOutcome.Deferred)]
    [InlineData(SmtpStatusCode.ServiceNotAvailable, DeliveryOutcome.Deferred)]
    [InlineData(SmtpStatusCode.InsufficientStorage, DeliveryOutcome.Deferred)]
    [InlineData(SmtpStatusCode.MailboxUnavailable, DeliveryOutcome.Failed)]
    [InlineData(SmtpStatusCode.TransactionFailed, DeliveryOutcome.Failed)]
    [InlineData(SmtpStatusCode.ExceededStorageAllocation, DeliveryOutcome.Failed)]
    public void Reply_codes_decide_between_retry_and_failure(SmtpStatusCode code, DeliveryOutcome expected)
    {
        var error = new SmtpException(code, "Mailbox unavailable. The server response was: 5.1.1 <a@b>: no such user");

        DeliveryResult result = SmtpFailureMapping.FromException(error, "mx.example.org:25");

        Assert.Equal(new DeliveryResult(expected, $"{(int)code} 5.1.1 <a@b>: no such user"), result);
    }

    [Theory]
    [InlineData(530)]
    [InlineData(535)]
    public void Authentication_refusals_are_deferred_with_a_hint(int code)
    {
        var error = new SmtpException((SmtpStatusCode)code, "The server response was: 5.7.8 Authentication credentials invalid");

        DeliveryResult result = SmtpFailureMapping.FromException(error, "mx.example.org:587");

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.StartsWith($"{code} 5.7.8 Authentication credentials invalid (from mx.example.org:587; check the Smtp settings", result.Reply);
    }

    [Fact]
    public void Failures_without_a_reply_are_deferred_with_every_reason()
    {
        var error = new SmtpException("Failure sending mail.", new SocketException((int)SocketError.ConnectionRefused));

        DeliveryResult result = SmtpFailureMapping.FromException(error, "127.0.0.1:2525");

        Assert.Equal(DeliveryResult.Deferred("Failure sending mail: Connection refused (127.0.0.1:2525)"), result);
    }

    [Fact]
    public void Several_failed_recipients_use_the_first_reply()
    {
        var first = new SmtpFailedRecipientException(SmtpStatusCode.MailboxBusy, "a@example.org", "4.2.1 busy");
        var error = new SmtpFailedRecipientsException("All recipients failed.", [first]);

        Assert.Equal(DeliveryOutcome.Deferred, SmtpFailureMapping.FromException(error, "x:25").Outcome);
    }
}
