using System.Text;
using PaperMailer.Rank.Text;

namespace PaperMailer.Tests.Rank;

public class EnglishStemmerTests
{
    private static readonly string DataDirectory =
        Path.Combine(AppContext.BaseDirectory, "Rank", "Data", "snowball-english");

    [Theory]
    [InlineData("running", "run")]
    [InlineData("generously", "generous")]
    [InlineData("networks", "network")]
    [InlineData("supervised", "supervis")]
    [InlineData("learning", "learn")]
    [InlineData("hoped", "hope")]
    [InlineData("cries", "cri")]
    [InlineData("ties", "tie")]
    [InlineData("dying", "die")]
    [InlineData("skies", "sky")]
    [InlineData("news", "news")]
    [InlineData("proceed", "proceed")]
    [InlineData("pasted", "paste")]
    [InlineData("international", "internat")]
    [InlineData("he", "he")]
    public void Stems_word(string word, string expected)
    {
        Assert.Equal(expected, EnglishStemmer.Stem(word));
        Assert.Equal(expected, EnglishStemmer.Stem(word.AsSpan()));

        Span<char> destination = stackalloc char[word.Length];
        Assert.True(EnglishStemmer.TryStem(word, destination, out int written));
        Assert.Equal(expected, new string(destination[..written]));
    }

    [Fact]
    public void Returns_same_instance_when_word_is_its_own_stem()
    {
        string word = "network";
        Assert.Same(word, EnglishStemmer.Stem(word));
    }

    [Fact]
    public void TryStem_fails_when_destination_is_too_short()
    {
        Span<char> destination = stackalloc char[3];
        Assert.False(EnglishStemmer.TryStem("running", destination, out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Stems_long_words_beyond_the_stack_buffer()
    {
        string root = "ab" + new string('x', 100);
        Assert.Equal(root + "at", EnglishStemmer.Stem(root + "ational"));
        Assert.Equal(root + "at", EnglishStemmer.Stem((root + "ational").AsSpan()));
    }

    [Fact]
    public void Matches_the_snowball_reference_vocabulary()
    {
        string[] words = File.ReadAllLines(Path.Combine(DataDirectory, "voc.txt"));
        string[] stems = File.ReadAllLines(Path.Combine(DataDirectory, "output.txt"));
        Assert.Equal(words.Length, stems.Length);
        Assert.NotEmpty(words);

        const int maxReported = 20;
        var report = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < words.Length; i++)
        {
            string actual = EnglishStemmer.Stem(words[i]);
            if (actual == stems[i])
            {
                continue;
            }

            if (++failures <= maxReported)
            {
                report.AppendLine($"  {words[i]}: expected '{stems[i]}', got '{actual}'");
            }
        }

        Assert.True(
            failures == 0,
            $"{failures} of {words.Length} words stemmed differently; first {Math.Min(failures, maxReported)}:\n{report}");
    }
}
