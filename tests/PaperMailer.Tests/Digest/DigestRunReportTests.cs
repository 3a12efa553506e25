using PaperMailer.Digest;
using PaperMailer.Domain;

namespace PaperMailer.Tests.Digest;

/// <summary>The report of a large run: complete counts, a bounded number of lines, and every problem line kept however late it comes.</summary>
public sealed class DigestRunReportTests
{
    private static readonly DateOnly Day = new(2026, 12, 3);

    [Fact]
    public void A_large_run_keeps_its_counts_a_sample_of_routine_lines_and_the_problems_that_come_late()
    {
        var report = new DigestRunReport();

        for (var i = 0; i < 100_000; i++) report.Add(new DigestRunLine($"p{i}@example.org", Day, i % 10 == 0 ? DeliveryStatus.NothingToSend : DeliveryStatus.Sent, 6, "written"));
        report.Add(new DigestRunLine("late@example.org", Day, DeliveryStatus.Failed, 6, "550 no such user"));
        report.Add(new DigestRunLine("later@example.org", Day, DeliveryStatus.Deferred, 6, "451 try again"));

        Assert.Equal(90_000, report.Count(DeliveryStatus.Sent));
        Assert.Equal(10_000, report.Count(DeliveryStatus.NothingToSend));
        Assert.Equal(100_002, report.Total);
        Assert.Equal(DigestRunReport.MaxRoutineLines + 2, report.Lines.Count);
        Assert.Contains(report.Lines, l => l.Email == "late@example.org" && l.Status == DeliveryStatus.Failed);
        Assert.Contains(report.Lines, l => l.Email == "later@example.org" && l.Status == DeliveryStatus.Deferred);
    }

    [Fact]
    public void Problem_lines_are_bounded_too()
    {
        var report = new DigestRunReport();

        for (var i = 0; i < DigestRunReport.MaxLines + 50; i++) report.Add(new DigestRunLine($"p{i}@example.org", Day, DeliveryStatus.Deferred, 6, "451"));

        Assert.Equal(DigestRunReport.MaxLines + 50, report.Count(DeliveryStatus.Deferred));
        Assert.Equal(DigestRunReport.MaxLines, report.Lines.Count);
    }
}
