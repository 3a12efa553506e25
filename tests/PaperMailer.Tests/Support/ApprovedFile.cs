namespace PaperMailer.Tests.Support;

/// <summary>
/// Compares output with an approved file kept in the repository (tests/PaperMailer.Tests/Render/Approved). On a
/// difference the new output is written next to it as NAME.received.EXT for review, and the test fails. To accept a
/// deliberate change, run the tests with PAPERMAILER_APPROVE=1: approved files are then overwritten (and the test
/// still fails once, so an accidental approval is never silent); review the diff and commit.
/// </summary>
public static class ApprovedFile
{
    public const string ApproveVariable = "PAPERMAILER_APPROVE";

    /// <summary>Checks every file (so one run writes every received file) and fails once, naming each difference.</summary>
    public static void Verify(params (string Name, string Actual)[] files)
    {
        var failures = files.Select(f => Difference(f.Name, f.Actual)).OfType<string>().ToList();
        if (failures.Count > 0) Assert.Fail(string.Join(Environment.NewLine, failures));
    }

    private static string? Difference(string name, string actual)
    {
        var approved = TestRepository.PathOf("tests", "PaperMailer.Tests", "Render", "Approved", name);
        var received = Path.Combine(Path.GetDirectoryName(approved)!, Path.GetFileNameWithoutExtension(name) + ".received" + Path.GetExtension(name));
        var expected = File.Exists(approved) ? File.ReadAllText(approved) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return null;
        }
        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            File.WriteAllText(approved, actual);
            File.Delete(received);
            return $"{name} was approved anew from this run ({ApproveVariable}=1); review its diff before committing.";
        }
        File.WriteAllText(received, actual);
        return expected is null
            ? $"No approved {name} yet; review {received} and rename it, or run with {ApproveVariable}=1."
            : $"{name} differs from the approved output; compare {received} with it, and run with {ApproveVariable}=1 to accept the change.";
    }
}
