using System.Text.Json;
using PaperMailer.Cli;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Testing;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Cli;

/// <summary>`papermailer deliveries list`: the ledger as operators and scripts read it, with the SMTP codes.</summary>
public sealed class DeliveriesCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private readonly TestStore _store;

    public DeliveriesCommandTests() => _store = TestStore.Create(_folder.Path);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_list_shows_each_last_replys_code_and_enhanced_status_code_in_text_and_JSON()
    {
        await RunAsync("subscribers", "add", "gone@example.org", "--keywords", "agents");
        await RunAsync("subscribers", "add", "later@example.org", "--keywords", "agents");
        var subscribers = await _store.Get<ISubscriberStore>().ListAsync();
        var ledger = _store.Get<IDeliveryLedger>();
        async Task RecordAsync(string email, DeliveryStatus status, string reply, int? code, string? enhanced)
        {
            var subscriber = subscribers.Single(s => s.Email == email);
            var created = (await ledger.CreateAsync(LedgerRows.Draft(subscriber, new DateOnly(2026, 11, 16), Now, $"2611.0000{subscriber.Id}")))!;
            await ledger.RecordAsync(created, status, reply, Now, code, enhanced);
        }

        await RecordAsync("gone@example.org", DeliveryStatus.Failed, "550 5.1.1 <gone@example.org>: Recipient address rejected", 550, "5.1.1");
        await RecordAsync("later@example.org", DeliveryStatus.Deferred, "Connection refused (smtp.example.org:587)", null, null);

        var text = (await RunAsync("deliveries", "list")).Out.Split('\n');
        var json = JsonDocument.Parse((await RunAsync("deliveries", "list", "--json")).Out).RootElement.EnumerateArray().ToList();

        Assert.EndsWith("attempts=1 smtp=550/5.1.1 550 5.1.1 <gone@example.org>: Recipient address rejected", text.Single(l => l.Contains("gone@", StringComparison.Ordinal)).TrimEnd());
        Assert.EndsWith("attempts=1 Connection refused (smtp.example.org:587)", text.Single(l => l.Contains("later@", StringComparison.Ordinal)).TrimEnd());
        Assert.Equal((550, "5.1.1"), (json[0].GetProperty("lastStatusCode").GetInt32(), json[0].GetProperty("lastEnhancedStatusCode").GetString()));
        Assert.False(json[1].TryGetProperty("lastStatusCode", out _));
    }

    private async Task<(int Exit, string Out)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, .. _store.Arguments, $"--Web:SigningKeyFile={_folder.File("signing.key")}",
            $"--Delivery:OutboxDirectory={_folder.File("outbox")}"], output, output);
        return (exit, output.ToString());
    }
}
