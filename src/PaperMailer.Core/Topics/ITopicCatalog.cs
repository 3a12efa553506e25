using PaperMailer.Domain;

namespace PaperMailer.Topics;

/// <summary>The preset topics people can pick (config/topics.json).</summary>
public interface ITopicCatalog
{
    IReadOnlyList<Topic> All { get; }

    Topic? Find(string id);
}
