using PaperMailer.Rank.Semantic;

namespace PaperMailer.Tests.Rank.Semantic;

public class EmbeddingTextTests
{
    [Theory]
    [InlineData("graph neural networks", "graph neural networks")]
    [InlineData("  graph\nneural\r\n\tnetworks  ", "graph neural networks")]
    [InlineData("a\u00A0b\u2003c", "a b c")]
    [InlineData(" \n ", "")]
    [InlineData(null, "")]
    public void Normalise_leaves_single_spaces_between_words(string? text, string expected) =>
        Assert.Equal(expected, EmbeddingText.Normalise(text));
}
