namespace PaperMailer.Tests.Support;

/// <summary>
/// A clock the test moves by hand. Timers run on real time, unless <see cref="SkipDelays"/> is set: then every timer
/// (a Task.Delay through this clock) fires at once, moves the clock forward by its wait, and the wait is recorded, so
/// tests see retry backoffs and request pacing without waiting for them.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _delays = [];
    private DateTimeOffset _now = start;

    public bool SkipDelays { get; set; }

    public IReadOnlyList<TimeSpan> Delays { get { lock (_lock) return _delays.ToList(); } }

    public override DateTimeOffset GetUtcNow() { lock (_lock) return _now; }

    public void Advance(TimeSpan by) { lock (_lock) _now += by; }

    public void Set(DateTimeOffset to) { lock (_lock) _now = to; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!SkipDelays || dueTime == Timeout.InfiniteTimeSpan) return base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _delays.Add(dueTime);
            _now += dueTime;
        }
        return base.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
