using System.Diagnostics;

namespace PaperMailer.RankBench;

/// <summary>Finds a Python 3 that has scikit-learn for <c>tfidf_peer.py</c>.</summary>
internal static class TfidfPeer
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "tfidf_peer.py");

    /// <summary>
    /// The given interpreter, else <c>python3</c> from PATH, else the system's <c>/usr/bin/python3</c> (where Debian's
    /// python3-sklearn installs; a python3 earlier on PATH, such as a version manager's, may lack it). Null when none
    /// of them imports sklearn.
    /// </summary>
    public static string? FindPython(string? given)
    {
        string[] candidates = given is not null ? [given] : ["python3", "/usr/bin/python3"];
        return candidates.FirstOrDefault(HasSklearn);
    }

    public const string Missing =
        "The tf-idf peer needs Python 3 with scikit-learn (Debian: apt-get install python3-sklearn); none was found. " +
        "Pass --python PATH, or --no-peer to measure the command alone.";

    private static bool HasSklearn(string python)
    {
        try
        {
            var start = new ProcessStartInfo(python, ["-c", "import sklearn, numpy, scipy"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
