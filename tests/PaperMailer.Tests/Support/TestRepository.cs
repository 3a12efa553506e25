namespace PaperMailer.Tests.Support;

/// <summary>Files of the repository the tests read (templates, config, samples), found by walking up from the test binaries.</summary>
public static class TestRepository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PaperMailer.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("PaperMailer.sln not found above the test binaries.");
    }
}
