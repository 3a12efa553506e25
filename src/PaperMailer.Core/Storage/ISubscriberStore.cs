using PaperMailer.Domain;

namespace PaperMailer.Storage;

public interface ISubscriberStore
{
    /// <summary>Adds one subscriber; throws <see cref="DuplicateSubscriberException"/> when the address exists.</summary>
    Task<Subscriber> AddAsync(Subscriber subscriber, CancellationToken cancellationToken = default);

    /// <summary>Adds all subscribers in one transaction, or none of them (duplicates included).</summary>
    Task AddManyAsync(IReadOnlyList<Subscriber> subscribers, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the new subscribers and replaces the profiles of the updated ones (as <see cref="UpdateProfileAsync"/>)
    /// in one transaction, or stores nothing (a duplicate address among the additions included).
    /// </summary>
    Task ImportAsync(IReadOnlyList<Subscriber> additions, IReadOnlyList<Subscriber> profileUpdates, CancellationToken cancellationToken = default);

    /// <summary>The subscribers with these addresses (compared ignoring case) that exist, in one query.</summary>
    Task<IReadOnlyList<Subscriber>> GetByEmailsAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default);

    Task<Subscriber?> GetByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<Subscriber?> GetByIdAsync(long id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Subscriber>> ListAsync(SubscriberStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>The subscribers with these ids that exist, by id, in one query.</summary>
    Task<IReadOnlyDictionary<long, Subscriber>> GetByIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    Task<int> CountAsync(SubscriberStatus status, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces what the subscriber chose (name, topics, keywords, exclusions, time zone, hour, frequency, max papers);
    /// returns false when no such subscriber exists. Status and address are not changed here.
    /// </summary>
    Task<bool> UpdateProfileAsync(Subscriber subscriber, CancellationToken cancellationToken = default);

    /// <summary>Changes the status; returns false when no such subscriber exists.</summary>
    Task<bool> SetStatusAsync(long id, SubscriberStatus status, DateTimeOffset at, CancellationToken cancellationToken = default);
}

public sealed class DuplicateSubscriberException(string email)
    : Exception($"A subscriber with the address {email} already exists.")
{
    public string Email { get; } = email;
}
