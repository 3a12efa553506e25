using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Domain;
using PaperMailer.Render;

namespace PaperMailer.Tests.Deliver;

/// <summary>Messages as the product builds them (through <see cref="MailMessageFactory"/>), for the transport tests.</summary>
internal static class TestMessages
{
    public static readonly DateTimeOffset Date = new(2026, 11, 22, 17, 0, 0, TimeSpan.FromHours(1));

    public const string Subject = "Your papers for 22 Nov: 3 new";

    public const string Text = "Your papers for Sunday, 22 November\n\n1. Attention Is Still All You Need\n   why: transformers, attention\n";

    public const string Html = "<!doctype html>\n<html><body><h1>Your papers</h1>\n<ol><li><a href=\"https://arxiv.org/abs/2611.01234\">Attention</a></li></ol>\n</body></html>\n";

    public const string UnsubscribeUrl = "https://papers.example.org/unsubscribe?token=0123456789abcdef0123456789abcdef";

    public static MailMessageFactory Factory { get; } =
        new(Options.Create(new DeliveryOptions { From = "PaperMailer <digest@papers.example.org>" }));

    public static MimeMessage Digest(string messageId = "<pm.2026-11-22.17.x8k2@example.org>", string subject = Subject,
        string text = Text, string html = Html, string email = "ann@example.org", string? name = "Ann Example") =>
        Factory.CreateDigest(name, email, subject, text, html, messageId, UnsubscribeUrl, Date);
}
