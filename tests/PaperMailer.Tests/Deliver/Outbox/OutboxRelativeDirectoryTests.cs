using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperMailer.Deliver;
using PaperMailer.Deliver.Outbox;

namespace PaperMailer.Tests.Deliver.Outbox;

/// <summary>Changes the process's current directory, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(CurrentDirectoryCollection), DisableParallelization = true)]
public sealed class CurrentDirectoryCollection;

[Collection(nameof(CurrentDirectoryCollection))]
public sealed class OutboxRelativeDirectoryTests
{
    [Fact]
    public async Task A_relative_outbox_folder_is_created_under_the_current_directory()
    {
        string previous = Environment.CurrentDirectory;
        string root = Directory.CreateTempSubdirectory("papermailer-outbox-cwd-").FullName;
        try
        {
            Environment.CurrentDirectory = root;
            var transport = new OutboxTransport(Options.Create(new DeliveryOptions { OutboxDirectory = "outbox" }), NullLogger<OutboxTransport>.Instance);

            DeliveryResult result = await transport.SendAsync(TestMessages.Digest(), CancellationToken.None);

            Assert.Equal(DeliveryResult.Sent("written outbox/pm.2026-11-22.17.x8k2@example.org.eml"), result);
            Assert.True(File.Exists(Path.Combine(root, "outbox", "pm.2026-11-22.17.x8k2@example.org.eml")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(root, recursive: true);
        }
    }
}
