using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaperMailer.Testing.Skips;

/// <summary>
/// xunit's own test framework, with the skipped tests' reasons summed up at the end of each test assembly
/// (<see cref="SkipReasonSink"/>). `dotnet test` at its default verbosity names a skipped test but never says why; the
/// summary goes out as a diagnostic message, which the VSTest adapter prints as a warning at every verbosity
/// (xunit.runner.json turns diagnostic messages on). A test assembly uses it with
/// <c>[assembly: TestFramework(SkipReasonsTestFramework.TypeName, SkipReasonsTestFramework.AssemblyName)]</c>.
/// </summary>
public sealed class SkipReasonsTestFramework(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    public const string TypeName = "PaperMailer.Testing.Skips.SkipReasonsTestFramework";
    public const string AssemblyName = "PaperMailer.Testing";

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            // Every test assembly of the project runs through this framework: the one place that runs before all their tests.
            LexicalRankingByDefault.Apply();
            base.RunTestCases(testCases, new SkipReasonSink(executionMessageSink, DiagnosticMessageSink), executionOptions);
        }
    }
}
