namespace PaperMailer.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran but something did not succeed (a bad file, a deferred send).</summary>
    public const int Failure = 1;
    /// <summary>Configuration or arguments are wrong; nothing was done.</summary>
    public const int Configuration = 2;
    public const int Usage = 2;
}
