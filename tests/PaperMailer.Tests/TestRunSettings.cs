using PaperMailer.Testing;
using PaperMailer.Testing.Skips;

// Each skipped test's reason at the end of the run, at dotnet test's default verbosity (xunit.runner.json turns on the
// diagnostic messages that carry it).
[assembly: TestFramework(SkipReasonsTestFramework.TypeName, SkipReasonsTestFramework.AssemblyName)]
// The collections that run longest start first.
[assembly: TestCollectionOrderer(LongestFirstCollectionOrderer.TypeName, LongestFirstCollectionOrderer.AssemblyName)]
