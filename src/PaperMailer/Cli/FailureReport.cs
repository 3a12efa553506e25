using Microsoft.Extensions.Options;
using PaperMailer.Configuration;

namespace PaperMailer.Cli;

/// <summary>
/// The one place a failure that escapes a command becomes what the operator reads: a sentence per problem, naming
/// the setting or the file, and no stack trace unless --verbose asks for it. A setting or resource that stops the
/// program from starting exits with <see cref="ExitCodes.Configuration"/>, having written nothing.
/// </summary>
internal static class FailureReport
{
    public static int Write(Exception failure, TextWriter error, bool verbose)
    {
        var (sentences, exitCode) = failure switch
        {
            OptionsValidationException invalid => (invalid.Failures.ToList(), ExitCodes.Configuration),
            CannotStartException cannotStart => ([cannotStart.Message], ExitCodes.Configuration),
            OperationCanceledException => (["Stopped before finishing."], ExitCodes.Failure),
            _ => ([$"papermailer stopped: {failure.Message}{(verbose ? "" : " (--verbose shows where)")}"], ExitCodes.Failure),
        };
        foreach (var sentence in sentences) error.WriteLine(sentence);
        if (verbose) error.WriteLine(failure);
        return exitCode;
    }
}
