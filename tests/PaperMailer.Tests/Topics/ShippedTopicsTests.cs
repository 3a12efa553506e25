using PaperMailer.Tests.Support;
using PaperMailer.Topics;

namespace PaperMailer.Tests.Topics;

/// <summary>The topics shipped in config/topics.json, as people meet them on the subscribe page and in the CLI.</summary>
public sealed class ShippedTopicsTests
{
    /// <summary>
    /// People pick a topic by its label and scripts name it by its id; an id whose words are not in its label
    /// ("speech-audio" labelled "Speech and music") makes them look like two different topics.
    /// </summary>
    [Fact]
    public void Every_word_of_a_topic_id_is_in_its_label()
    {
        var topics = new TopicsFileCatalog(TestRepository.PathOf("config", "topics.json")).All;

        Assert.NotEmpty(topics);
        Assert.All(topics, topic => Assert.All(topic.Id.Split('-'), word =>
            Assert.True(topic.Name.Contains(word, StringComparison.OrdinalIgnoreCase), $"\"{topic.Id}\" is labelled \"{topic.Name}\", without \"{word}\".")));
    }
}
