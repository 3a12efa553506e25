using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaperMailer.Testing;

/// <summary>
/// Starts the test collections that run longest first (by <see cref="RunsForAboutAttribute"/> on the test class or on
/// the collection's definition), the rest after them by name. xunit runs a fixed number of collections at once; in any
/// other order a long one (the 20,000-subscriber run, a chain of faketime commands, embedding the judged papers) could
/// begin last and keep the suite going long after everything else had finished. A test assembly uses it with
/// <c>[assembly: TestCollectionOrderer(LongestFirstCollectionOrderer.TypeName, LongestFirstCollectionOrderer.AssemblyName)]</c>.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    public const string TypeName = "PaperMailer.Testing.LongestFirstCollectionOrderer";
    public const string AssemblyName = "PaperMailer.Testing";

    /// <summary>How xunit names the collection it makes for a test class that names none.</summary>
    private const string ClassCollectionPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(SecondsOf).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    /// <summary>The seconds the collection's definition or its only test class says it runs for; 0 when neither says.</summary>
    public static int SecondsOf(ITestCollection collection)
    {
        var declaredOn = collection.CollectionDefinition?.ToRuntimeType()
            ?? (collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
                ? (collection.TestAssembly.Assembly as IReflectionAssemblyInfo)?.Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..])
                : null);
        return declaredOn?.GetCustomAttribute<RunsForAboutAttribute>()?.Seconds ?? 0;
    }
}
