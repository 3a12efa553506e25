using PaperMailer.Testing;
using PaperMailer.Tests.Rank.Semantic;
using PaperMailer.Tests.Startup;
using Xunit.Sdk;

namespace PaperMailer.Tests.Testing;

/// <summary>The test collections that say they run longest start first, whether the class or the collection's definition says so.</summary>
public sealed class LongestFirstCollectionOrdererTests
{
    private static readonly TestAssembly Assembly = new(Reflector.Wrap(typeof(LongestFirstCollectionOrdererTests).Assembly));

    [Fact]
    public void Collections_are_ordered_by_the_seconds_they_say_then_by_name()
    {
        TestCollection[] collections =
        [
            new(Assembly, null, $"Test collection for {typeof(LongestFirstCollectionOrdererTests).FullName}"),
            new(Assembly, null, $"Test collection for {typeof(StartFailureTests).FullName}"),
            new(Assembly, Reflector.Wrap(typeof(EmbeddingModelCollection)), nameof(EmbeddingModelCollection)),
            new(Assembly, null, "A collection nobody defined"),
        ];

        var ordered = new LongestFirstCollectionOrderer().OrderTestCollections(collections).ToList();

        Assert.Equal([collections[2], collections[1], collections[3], collections[0]], ordered);
        Assert.Equal([30, 20, 0, 0], ordered.Select(LongestFirstCollectionOrderer.SecondsOf));
    }
}
