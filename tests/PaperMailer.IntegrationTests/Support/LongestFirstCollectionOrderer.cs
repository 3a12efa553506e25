using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("PaperMailer.Testing.LongestFirstCollectionOrderer", "PaperMailer.IntegrationTests")]

namespace PaperMailer.Testing;

/// <summary>
/// Starts the test collections that run longest first (by <see cref="RunsForAboutAttribute"/> on the test class or on
/// the collection's definition), the rest after them by name. xunit runs a fixed number of collections at once
/// (xunit.runner.json); in any other order the 20,000-subscriber run or a chain of faketime commands could begin last
/// and keep the suite going long after everything else had finished.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    /// <summary>How xunit names the collection it makes for a test class that names none.</summary>
    private const string ClassCollectionPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(SecondsOf).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int SecondsOf(ITestCollection collection)
    {
        var declaredOn = collection.CollectionDefinition?.ToRuntimeType()
            ?? (collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
                ? typeof(LongestFirstCollectionOrderer).Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..])
                : null);
        return declaredOn?.GetCustomAttribute<RunsForAboutAttribute>()?.Seconds ?? 0;
    }
}
