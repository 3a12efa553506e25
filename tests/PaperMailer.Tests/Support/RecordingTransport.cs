using System.Collections.Concurrent;
using PaperMailer.Deliver;

namespace PaperMailer.Tests.Support;

/// <summary>Stands in for a mail server in unit tests: records every message and answers as told.</summary>
public sealed class RecordingTransport : IMailTransport
{
    public ConcurrentQueue<OutgoingMessage> Sent { get; } = new();

    /// <summary>Decides the answer per message; default accepts everything.</summary>
    public Func<OutgoingMessage, DeliveryResult> Answer { get; set; } = _ => DeliveryResult.Sent("250 2.0.0 accepted");

    /// <summary>Awaited before each answer, so a test can hold sends in flight; default holds nothing.</summary>
    public Func<OutgoingMessage, Task>? Hold { get; set; }

    public string Name => "recording";

    public int MaxConcurrency { get; set; } = 4;

    public async Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (Hold is { } hold) await hold(message);
        var answer = Answer(message);
        if (answer.Outcome == DeliveryOutcome.Sent) Sent.Enqueue(message);
        return answer;
    }
}
