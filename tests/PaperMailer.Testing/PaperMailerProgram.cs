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
}
