using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Mime;
using PaperMailer.Deliver.Outbox;
using PaperMailer.Testing;

namespace PaperMailer.Tests.Deliver.Outbox;

public sealed class OutboxTransportTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "papermailer-outbox-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [PythonEmailFact]
    public async Task Writes_the_message_as_an_eml_file_named_after_its_Message_ID()
    {
        string directory = Path.Combine(_root, "outbox");
        MimeMessage message = TestMessages.Digest();

        DeliveryResult result = await Transport(directory).SendAsync(message, CancellationToken.None);

        string file = Path.Combine(directory, "pm.2026-11-22.17.x8k2@example.org.eml");
        Assert.Equal(DeliveryResult.Sent($"written {file}"), result);
        Assert.Equal([file], Directory.GetFiles(directory));
        Assert.Equal(Bytes(message), await File.ReadAllBytesAsync(file));

        ParsedEmail parsed = (await PythonEmail.ParseFilesAsync([file]))[0];
        Assert.Empty(parsed.Defects);
        Assert.Equal("<pm.2026-11-22.17.x8k2@example.org>", parsed.RawHeader("Message-ID"));
        Assert.Equal(TestMessages.Subject, parsed.Header("Subject"));
        Assert.Equal($"<{TestMessages.UnsubscribeUrl}>", parsed.Header("List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", parsed.RawHeader("List-Unsubscribe-Post"));
        Assert.Equal(["text/plain", "text/html"], parsed.Parts.Select(p => p.ContentType));
        Assert.Equal(TestMessages.Text.ReplaceLineEndings("\r\n"), parsed.Parts[0].Content!.ReplaceLineEndings("\r\n"));
        Assert.Equal(TestMessages.Html.ReplaceLineEndings("\r\n"), parsed.Parts[1].Content!.ReplaceLineEndings("\r\n"));
    }

    [Fact]
    public async Task Sending_the_same_Message_ID_again_replaces_the_file()
    {
        string directory = Path.Combine(_root, "outbox");
        var transport = Transport(directory);

        await transport.SendAsync(TestMessages.Digest(), CancellationToken.None);
        MimeMessage retry = TestMessages.Digest(subject: "second attempt");
        DeliveryResult result = await transport.SendAsync(retry, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        string file = Assert.Single(Directory.GetFiles(directory));   // also: no temporary file left behind
        Assert.Equal(Bytes(retry), await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Different_Message_IDs_give_different_files()
    {
        string directory = Path.Combine(_root, "outbox");
        var transport = Transport(directory);

        await transport.SendAsync(TestMessages.Digest("<a/b@example.org>"), CancellationToken.None);
        await transport.SendAsync(TestMessages.Digest("<a_b@example.org>"), CancellationToken.None);

        Assert.Equal(2, Directory.GetFiles(directory).Length);
    }

    [Fact]
    public async Task An_unwritable_folder_defers_with_the_reason()
    {
        Directory.CreateDirectory(_root);
        string blocker = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the outbox folder should be");

        DeliveryResult result = await Transport(blocker).SendAsync(TestMessages.Digest(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.StartsWith($"could not write {Path.Combine(blocker, "pm.2026-11-22.17.x8k2@example.org.eml")}: ", result.Reply);
    }

    [Fact]
    public async Task A_message_without_its_one_recipient_fails_without_writing()
    {
        string directory = Path.Combine(_root, "outbox");
        MimeMessage message = TestMessages.Digest();
        message.To.Add(new MailboxAddress("Second", "second@example.org"));

        DeliveryResult result = await Transport(directory).SendAsync(message, CancellationToken.None);

        Assert.Equal(DeliveryResult.Failed("not written: the message has 2 To addresses instead of one"), result);
        Assert.False(Directory.Exists(directory));
    }

    [Theory]
    [InlineData("<pm.2026-11-22.17.x8k2@example.org>", "pm.2026-11-22.17.x8k2@example.org.eml")]
    [InlineData("pm.2026-11-22.17.x8k2@example.org", "pm.2026-11-22.17.x8k2@example.org.eml")]
    [InlineData("<a+b=c_d-e@example.org>", "a+b=c_d-e@example.org.eml")]
    public void File_name_is_the_Message_ID_without_brackets(string messageId, string expected)
    {
        Assert.Equal(expected, OutboxFileName.For(messageId));
    }

    [Theory]
    [InlineData("<../../etc/passwd@x>")]
    [InlineData("<a/b\\c:d*e?f@x>")]
    [InlineData("<.hidden@x>")]
    public void Unsafe_characters_are_replaced_and_a_hash_keeps_names_apart(string messageId)
    {
        string name = OutboxFileName.For(messageId);

        Assert.Matches(@"^[A-Za-z0-9_@+=-][A-Za-z0-9._@+=-]*-[0-9a-f]{12}\.eml$", name);
        Assert.Equal(name, OutboxFileName.For(messageId));
        Assert.Equal(name, OutboxFileName.For(messageId.Trim('<', '>')));
    }

    [Fact]
    public void Very_long_Message_IDs_give_names_within_file_system_limits()
    {
        string name = OutboxFileName.For("<" + new string('x', 1000) + "@example.org>");

        Assert.True(name.Length <= 200, $"{name.Length} characters");
    }

    [Fact]
    public async Task Files_a_failed_group_commit_left_unnamed_are_named_by_the_next_commit()
    {
        string directory = Path.Combine(_root, "outbox");
        var transport = Transport(directory);
        MimeMessage first = TestMessages.Digest();
        first.MessageId = "pm.first@example.org";
        MimeMessage second = TestMessages.Digest();
        second.MessageId = "pm.second@example.org";
        Assert.Equal(DeliveryOutcome.Sent, (await transport.SendUncommittedAsync(first, CancellationToken.None)).Outcome);
        Assert.Equal(DeliveryOutcome.Sent, (await transport.SendUncommittedAsync(second, CancellationToken.None)).Outcome);
        // Something in the way of the second file's name: the commit fails after naming the first.
        string blocked = Path.Combine(directory, OutboxFileName.For(second.MessageId));
        Directory.CreateDirectory(Path.Combine(blocked, "in-the-way"));

        await Assert.ThrowsAnyAsync<IOException>(() => transport.CommitAsync(CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(directory, OutboxFileName.For(first.MessageId))));

        Directory.Delete(blocked, recursive: true);
        await transport.CommitAsync(CancellationToken.None);

        Assert.Equal(Bytes(second), await File.ReadAllBytesAsync(blocked));
        Assert.Equal(2, Directory.GetFiles(directory).Length);
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var output = new MemoryStream();
        message.WriteTo(WireFormat.Options, output);
        return output.ToArray();
    }

    private static OutboxTransport Transport(string directory) =>
        new(Options.Create(new DeliveryOptions { OutboxDirectory = directory }), NullLogger<OutboxTransport>.Instance);
}
