using System.Net.Mail;
using PaperMailer.Deliver;

namespace PaperMailer.Tests.Deliver;

internal static class TestMessages
{
    public static readonly DateTimeOffset Date = new(2026, 11, 22, 17, 0, 0, TimeSpan.FromHours(1));

    public const string Text = "Your papers for Sunday, 22 November\n\n1. Attention Is Still All You Need\n   why: transformers, attention\n";

    public const string Html = "<!doctype html>\n<html><body><h1>Your papers</h1>\n<ol><li><a href=\"https://arxiv.org/abs/2611.01234\">Attention</a></li></ol>\n</body></html>\n";

    public static OutgoingMessage Digest(string messageId = "<pm.2026-11-22.17.x8k2@example.org>") => new()
    {
        From = new MailAddress("digest@papers.example.org", "PaperMailer"),
        To = new MailAddress("ann@example.org", "Ann Example"),
        Subject = "Your papers for 22 Nov: 3 new",
        TextBody = Text,
        HtmlBody = Html,
        MessageId = messageId,
        Date = Date,
        Headers =
        [
            new("List-Unsubscribe", "<https://papers.example.org/unsubscribe?token=0123456789abcdef0123456789abcdef>, <mailto:unsubscribe@papers.example.org?subject=unsubscribe%20ann>"),
            new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ],
    };
}
