using PaperMailer.Bounces;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Bounces;

/// <summary>The parser on each sample in BounceSamples/ (a real Postfix DSN and delay notice, an RFC 5965 report, an auto-reply).</summary>
public sealed class BounceReportParserTests
{
    [Fact]
    public void Postfix_unknown_user_DSN_is_a_hard_bounce_with_its_recipient_status_diagnostic_and_return_path()
    {
        var report = BounceReportParser.Parse(BounceSamples.Load(BounceSamples.HardBounce));

        Assert.NotNull(report);
        Assert.Equal(BounceKind.HardBounce, report.Kind);
        Assert.Equal("nosuchuser@papermailer-test.localhost", report.Recipient);
        Assert.Equal("5.1.1", report.Status);
        Assert.Equal("X-Postfix; unknown user: \"nosuchuser\"", report.Detail);
        Assert.Equal(BounceSamples.ReturnPathIn(BounceSamples.HardBounce), report.ReturnPaths[0]);
        Assert.Equal(BounceSamples.MessageIdIn(BounceSamples.HardBounce), report.OriginalMessageId);
    }

    [Fact]
    public void Postfix_delay_warning_is_a_soft_bounce_and_its_headers_only_part_still_gives_the_message_id()
    {
        var report = BounceReportParser.Parse(BounceSamples.Load(BounceSamples.DelayWarning));

        Assert.NotNull(report);
        Assert.Equal(BounceKind.SoftBounce, report.Kind);
        Assert.Equal("reader@slow.example", report.Recipient);
        Assert.Equal("4.4.1", report.Status);
        Assert.StartsWith("X-Postfix; connect to 127.0.0.1[127.0.0.1]:9: Connection refused", report.Detail);
        Assert.Contains(BounceSamples.ReturnPathIn(BounceSamples.DelayWarning), report.ReturnPaths);
        Assert.Equal(BounceSamples.MessageIdIn(BounceSamples.DelayWarning), report.OriginalMessageId);
    }

    [Fact]
    public void A_failed_action_with_a_temporary_status_is_counted_not_suppressed()
    {
        var message = BounceSamples.Load(BounceSamples.HardBounce, edit: text => text.Replace("Status: 5.1.1", "Status: 4.2.2"));

        Assert.Equal(BounceKind.SoftBounce, BounceReportParser.Parse(message)?.Kind);
    }

    [Fact]
    public void ARF_abuse_report_is_a_complaint_naming_the_original_sender_recipient_and_reporter()
    {
        var report = BounceReportParser.Parse(BounceSamples.Load(BounceSamples.Complaint));

        Assert.NotNull(report);
        Assert.Equal(BounceKind.Complaint, report.Kind);
        Assert.Equal("abuse", report.Status);
        Assert.Equal("carol@mail.example.net", report.Recipient);
        Assert.Equal("ExampleMail-Feedback/2.1", report.Detail);
        // Original-Mail-From first, then the reported message's Return-Path (the same here), then where the report was delivered.
        Assert.Equal([BounceSamples.ReturnPathIn(BounceSamples.Complaint), "abuse@papermailer.example"], report.ReturnPaths);
        Assert.Equal(BounceSamples.MessageIdIn(BounceSamples.Complaint), report.OriginalMessageId);
    }

    [Theory]
    [InlineData("not-spam")]
    [InlineData("auth-failure")]
    public void Feedback_that_is_not_a_complaint_is_recognised_but_does_not_count_as_one(string type)
    {
        var message = BounceSamples.Load(BounceSamples.Complaint, edit: text => text.Replace("Feedback-Type: abuse", $"Feedback-Type: {type}"));

        var report = BounceReportParser.Parse(message);

        Assert.Equal(BounceKind.OtherFeedback, report?.Kind);
        Assert.Equal(type, report?.Status);
    }

    [Fact]
    public void An_auto_reply_is_not_a_report()
    {
        Assert.Null(BounceReportParser.Parse(BounceSamples.Load(BounceSamples.AutoReply)));
    }

    [Fact]
    public void A_report_of_another_type_is_not_a_bounce()
    {
        var message = BounceSamples.Load(BounceSamples.HardBounce, edit: text => text.Replace("report-type=delivery-status", "report-type=disposition-notification"));

        Assert.Null(BounceReportParser.Parse(message));
    }
}
