using System.Collections.Concurrent;
using PaperMailer.Deliver;

namespace PaperMailer.Tests.Support;

/// <summary>Stands in for a mail server in unit tests: records every message and answers as told.</summary>
public sealed class RecordingTransport : IMailTransport
{
    public ConcurrentQueue<OutgoingMessage> Sent { get; } = new();

    /// <summary>Decides the answer per message; default accepts everything.</summary>
    public Func<OutgoingMessage, DeliveryResult> Answer { get; set; } = _ => DeliveryResult.Sent("250 2.0.0 accepted");

    public string Name => "recording";

    public int MaxConcurrency { get; set; } = 4;

    public Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var answer = Answer(message);
        if (answer.Outcome == DeliveryOutcome.Sent) Sent.Enqueue(message);
        return Task.FromResult(answer);
    }
}
