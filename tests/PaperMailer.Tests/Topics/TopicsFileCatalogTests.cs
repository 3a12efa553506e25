using PaperMailer.Topics;

namespace PaperMailer.Tests.Topics;

/// <summary>A topics file an operator got wrong stops the program with one sentence naming the file, the topic and the reason.</summary>
public sealed class TopicsFileCatalogTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"topics-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    private string ErrorOf(string json)
    {
        File.WriteAllText(_file, json);
        return Assert.Throws<InvalidOperationException>(() => new TopicsFileCatalog(_file)).Message;
    }

    [Fact]
    public void A_misspelt_field_is_named_with_its_topic_rather_than_ignored()
    {
        var message = ErrorOf("""[{"id": "robotics", "name": "Robotics", "keywords": ["robot"], "contxt": ["control"]}]""");

        Assert.Equal($"Topics:File {_file}: topic \"robotics\" has an unknown field \"contxt\" (known: id, name, description, keywords, context, exclude).", message);
    }

    [Fact]
    public void A_word_both_keyword_and_context_is_refused_as_the_ranker_reads_them()
    {
        // "Robots" and "robot" are one term to the ranker: it could not both admit papers and only raise them.
        var message = ErrorOf("""[{"id": "robotics", "name": "Robotics", "keywords": ["robot", "drone"], "context": ["control", "Robots"]}]""");

        Assert.Equal($"Topics:File {_file}: topic \"robotics\" lists \"Robots\" both as a keyword and as context; a term either admits papers (keywords) or only raises admitted ones (context).", message);
    }

    [Fact]
    public void A_topic_with_context_words_but_no_keywords_is_refused()
    {
        var message = ErrorOf("""[{"id": "robotics", "name": "Robotics", "keywords": [], "context": ["control"]}]""");

        Assert.Equal($"Topics:File {_file}: topic \"robotics\" has no keywords.", message);
    }

    [Fact]
    public void A_term_without_searchable_words_is_refused()
    {
        var message = ErrorOf("""[{"id": "robotics", "name": "Robotics", "keywords": ["robot"], "context": ["of the"]}]""");

        Assert.Equal($"Topics:File {_file}: topic \"robotics\" lists \"of the\", which has no searchable words (only very common words such as \"the\" or \"of\").", message);
    }

    [Fact]
    public void A_field_of_the_wrong_type_names_its_topic()
    {
        var message = ErrorOf("""[{"id": "robotics", "name": "Robotics", "keywords": ["robot"], "context": "control"}]""");

        Assert.StartsWith($"Topics:File {_file}: topic \"robotics\" is not valid: ", message);
    }

    [Fact]
    public void Context_words_are_read_beside_the_keywords()
    {
        File.WriteAllText(_file, """[{"id": "robotics", "name": "Robotics", "keywords": ["robot"], "context": ["control", "simulator"]}]""");

        var topic = Assert.Single(new TopicsFileCatalog(_file).All);

        Assert.Equal(["robot"], topic.Keywords);
        Assert.Equal(["control", "simulator"], topic.Context);
    }

    [Fact]
    public void Exclusions_are_read_from_the_exclude_field()
    {
        File.WriteAllText(_file, """[{"id": "robotics", "name": "Robotics", "keywords": ["robot"], "exclude": ["surgery", "\"surgical robot\""]}]""");

        var topic = Assert.Single(new TopicsFileCatalog(_file).All);

        Assert.Equal(["surgery", "\"surgical robot\""], topic.Exclusions);
    }
}
