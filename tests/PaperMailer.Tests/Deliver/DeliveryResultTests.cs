using PaperMailer.Deliver;

namespace PaperMailer.Tests.Deliver;

public sealed class DeliveryResultTests
{
    [Fact]
    public void A_reply_keeps_its_code_and_enhanced_status_code_beside_its_words()
    {
        DeliveryResult result = DeliveryResult.FromReply(DeliveryOutcome.Failed, 550, "5.1.1 <ann@example.org>: Recipient address rejected");

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Failed, "550 5.1.1 <ann@example.org>: Recipient address rejected", 550, "5.1.1"), result);
    }

    [Fact]
    public void A_multi_line_reply_becomes_one_line_with_the_enhanced_code_once()
    {
        DeliveryResult result = DeliveryResult.FromReply(DeliveryOutcome.Deferred, 452, "4.5.3 Too many recipients\n4.5.3 try again later\n");

        Assert.Equal("452 4.5.3 Too many recipients try again later", result.Reply);
        Assert.Equal("4.5.3", result.EnhancedStatusCode);
    }

    [Theory]
    [InlineData(250, "Ok: queued as 4Xy", "250 Ok: queued as 4Xy", null)]
    [InlineData(550, "4.1.1 mismatched classes", "550 4.1.1 mismatched classes", null)]
    [InlineData(451, "4.3.0", "451 4.3.0", "4.3.0")]
    [InlineData(554, "", "554", null)]
    public void An_enhanced_status_code_is_taken_only_when_the_reply_starts_with_one_of_its_class(int code, string text, string reply, string? enhanced)
    {
        DeliveryResult result = DeliveryResult.FromReply(DeliveryOutcome.Failed, code, text);

        Assert.Equal((reply, code, enhanced), (result.Reply, result.StatusCode, result.EnhancedStatusCode));
    }

    [Fact]
    public void A_note_for_the_operator_follows_the_servers_words()
    {
        DeliveryResult result = DeliveryResult.FromReply(DeliveryOutcome.Deferred, 535, "5.7.8 Authentication credentials invalid", "check Smtp:Password");

        Assert.Equal("535 5.7.8 Authentication credentials invalid (check Smtp:Password)", result.Reply);
        Assert.Equal((535, "5.7.8"), (result.StatusCode, result.EnhancedStatusCode));
    }
}
