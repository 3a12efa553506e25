namespace PaperMailer.Testing;

/// <summary>
/// Roughly how long a test class's tests take together on a busy 2-core machine. Only for ordering: classes that say
/// they run long start first (<see cref="LongestFirstCollectionOrderer"/>), so that a long one does not start last
/// and finish alone while the other lanes sit idle.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RunsForAboutAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}
