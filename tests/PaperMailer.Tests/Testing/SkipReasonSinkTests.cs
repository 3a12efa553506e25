using System.Reflection;
using System.Text.Json;
using PaperMailer.Testing.Skips;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaperMailer.Tests.Testing;

/// <summary>
/// The skipped tests' reasons reach `dotnet test`'s default output: the sink sums them up as diagnostic messages when a
/// test assembly finishes, and this assembly runs with the framework that installs the sink and with diagnostic
/// messages on. (Running `dotnet test` on a project of its own would check the printed lines too, but takes a minute.)
/// </summary>
public sealed class SkipReasonSinkTests
{
    private const string NoServer = "No SMTP server: set PAPERMAILER_TEST_SMTP.";
    private const string NoBrowser = "No headless browser.";

    [Fact]
    public void When_the_assembly_finishes_each_reason_is_one_line_with_its_count_and_tests_and_every_message_is_passed_on()
    {
        var next = new RecordingSink();
        var diagnostics = new RecordingSink();
        var sink = new SkipReasonSink(next, diagnostics);
        IMessageSinkMessage[] messages =
        [
            new TestSkipped(Test(nameof(Second_skipped)), NoServer),
            new TestPassed(Test(nameof(Passed)), 0.1m, null),
            new TestSkipped(Test(nameof(First_skipped)), NoServer),
            new TestSkipped(Test(nameof(Third_skipped)), NoBrowser),
        ];
        foreach (var message in messages) sink.OnMessage(message);
        Assert.Empty(diagnostics.Messages);

        var finished = new TestAssemblyFinished([], Assembly, 1m, 4, 0, 3);
        sink.OnMessage(finished);

        Assert.Equal(
        [
            $"2 tests skipped: {NoServer} (SkipReasonSinkTests.First_skipped, SkipReasonSinkTests.Second_skipped)",
            $"1 test skipped: {NoBrowser} (SkipReasonSinkTests.Third_skipped)",
        ], diagnostics.Messages.Cast<IDiagnosticMessage>().Select(m => m.Message));
        Assert.Equal([.. messages, finished], next.Messages);
    }

    [Fact]
    public void A_run_that_skipped_nothing_reports_nothing()
    {
        var diagnostics = new RecordingSink();
        var sink = new SkipReasonSink(new RecordingSink(), diagnostics);

        sink.OnMessage(new TestPassed(Test(nameof(Passed)), 0.1m, null));
        sink.OnMessage(new TestAssemblyFinished([], Assembly, 1m, 1, 0, 0));

        Assert.Empty(diagnostics.Messages);
    }

    [Fact]
    public void This_test_assembly_runs_with_the_sink_and_with_diagnostic_messages_on()
    {
        var framework = typeof(SkipReasonSinkTests).Assembly.GetCustomAttributesData().Single(a => a.AttributeType == typeof(TestFrameworkAttribute));
        Assert.Equal([SkipReasonsTestFramework.TypeName, SkipReasonsTestFramework.AssemblyName], framework.ConstructorArguments.Select(a => (string?)a.Value));
        Assert.Equal(SkipReasonsTestFramework.TypeName, typeof(SkipReasonsTestFramework).FullName);
        Assert.Equal(SkipReasonsTestFramework.AssemblyName, typeof(SkipReasonsTestFramework).Assembly.GetName().Name);

        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "xunit.runner.json")));
        Assert.True(settings.RootElement.GetProperty("diagnosticMessages").GetBoolean());
    }

    // The tests the messages above are about (never run: they only give the messages real test cases).
    private static void First_skipped() { }
    private static void Second_skipped() { }
    private static void Third_skipped() { }
    private static void Passed() { }

    private static readonly TestAssembly Assembly = new(Reflector.Wrap(typeof(SkipReasonSinkTests).Assembly));

    private static XunitTest Test(string method)
    {
        var testClass = new TestClass(new TestCollection(Assembly, null, "collection"), Reflector.Wrap(typeof(SkipReasonSinkTests)));
        var testMethod = new TestMethod(testClass, Reflector.Wrap(typeof(SkipReasonSinkTests).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!));
        var testCase = new XunitTestCase(new RecordingSink(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, testMethod);
        return new XunitTest(testCase, $"{typeof(SkipReasonSinkTests).FullName}.{method}");
    }

    private sealed class RecordingSink : LongLivedMarshalByRefObject, IMessageSink
    {
        public List<IMessageSinkMessage> Messages { get; } = [];

        public bool OnMessage(IMessageSinkMessage message)
        {
            Messages.Add(message);
            return true;
        }
    }
}
