using PaperMailer.Domain;

namespace PaperMailer.Storage;

/// <summary>
/// Keeps the topics table equal to the topics file, so the database alone tells what each subscriber's topic ids
/// meant (for reports and SQL queries). The file stays the source of truth.
/// </summary>
public interface ITopicMirror
{
    Task SyncAsync(IReadOnlyList<Topic> topics, CancellationToken cancellationToken = default);
}
