namespace PaperMailer.Testing;

/// <summary>
/// Tests that need something from the machine (a server, a program) skip without it on a developer's machine,
/// but fail on CI (CI=true), where .ci/run provides everything: a skipped test there would hide a broken setup.
/// </summary>
public static class TestEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The skip reason for a test attribute: null (run) when available or on CI.</summary>
    public static string? SkipUnless(bool available, string reason) => available || IsCi ? null : reason;

    /// <summary>The variable's value; throws with <paramref name="reason"/> when it is not set.</summary>
    public static string Require(string variable, string reason)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException(reason) : value;
    }
}
