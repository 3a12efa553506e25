using System.Diagnostics;

namespace PaperMailer.Testing;

/// <summary>The built papermailer program beside the tests, and the dotnet host that runs it as its own process.</summary>
public static class PaperMailerProgram
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "papermailer.dll");

    /// <summary>The host `dotnet test` itself runs on (so the same runtime), else dotnet on the PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>
    /// Sets the runtime settings tests run papermailer with: workstation GC instead of the server GC it
    /// ships with. Tests start some hundred short commands, several at once on a couple of cores, and server GC sets
    /// up a heap and a collector thread per core in each: a `digest` with nothing to send took ~0.2 s more CPU
    /// (0.88 s against 0.67 s). What a command does is the same under either collector; speed is measured by the
    /// benches, with the shipped settings.
    /// </summary>
    public static void UseTestRuntime(ProcessStartInfo start) => start.Environment["DOTNET_gcServer"] = "0";
}
