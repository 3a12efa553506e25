using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using PaperMailer.Deliver;
using PaperMailer.Digest;
using PaperMailer.Digest.Delivering;
using PaperMailer.Domain;
using PaperMailer.Storage;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Digest;

/// <summary>The group commit's window: what a kill can resend, and sends going on while a group is made durable.</summary>
public class OutcomeRecorderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sends_go_on_in_the_other_half_of_the_window_while_a_group_is_flushed_and_never_past_the_window()
    {
        using var app = new TestApp(Now);
        var transport = new FlushHeldTransport();
        var recorded = 0;
        // Four places; the interval is far off, so only the size closes a group.
        var recorder = new OutcomeRecorder(app.Get<IDeliveryLedger>(), transport, "run-1", groupSize: 4, TimeSpan.FromMinutes(10), new DigestRunStages(),
            NullLogger.Instance);

        for (var id = 1; id <= 2; id++)
        {
            await recorder.EnterAsync();
            recorder.Add(Sent(id), _ => Interlocked.Increment(ref recorded));
        }
        // Half the window closes a group, and its flush starts (and is held there).
        await transport.FlushStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // While it is flushed, the other half of the window is free for sends...
        await recorder.EnterAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await recorder.EnterAsync().WaitAsync(TimeSpan.FromSeconds(30));
        // ...but no more: at most the window's four are ever accepted and unrecorded.
        var fifth = recorder.EnterAsync();
        Assert.False(fifth.IsCompleted);
        Assert.Equal(0, Volatile.Read(ref recorded));

        transport.ReleaseFlush();
        await fifth.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Volatile.Read(ref recorded));
        recorder.Leave();
        recorder.Leave();
        recorder.Leave();
        await recorder.CompleteAsync();
    }

    private static AttemptOutcome Sent(long id) => new(id, id, DeliveryStatus.Sent, "written", null, null, Now, null);

    /// <summary>A transport whose flush waits until the test lets it finish.</summary>
    private sealed class FlushHeldTransport : IGroupCommitTransport
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource FlushStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "held";

        public int MaxConcurrency => 1;

        public void ReleaseFlush() => _release.TrySetResult();

        public Task<DeliveryResult> SendAsync(MimeMessage message, CancellationToken cancellationToken) => Task.FromResult(DeliveryResult.Sent("sent"));

        public Task<DeliveryResult> SendUncommittedAsync(MimeMessage message, CancellationToken cancellationToken) => SendAsync(message, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            FlushStarted.TrySetResult();
            return _release.Task;
        }
    }
}
