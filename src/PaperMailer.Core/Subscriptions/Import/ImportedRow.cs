using PaperMailer.Domain;

namespace PaperMailer.Subscriptions.Import;

/// <summary>The profile fields a row gave a value for; a field it left blank or a column the file lacks is not given.</summary>
[Flags]
public enum ImportedFields
{
    None = 0,
    Name = 1 << 0,
    Topics = 1 << 1,
    Keywords = 1 << 2,
    Exclusions = 1 << 3,
    TimeZone = 1 << 4,
    Hour = 1 << 5,
    Frequency = 1 << 6,
    MaxPapers = 1 << 7,
    Trending = 1 << 8,
}

/// <summary>
/// A subscriber read from an import file, with the line it starts on and the fields the row gave. Defaults fill the
/// fields not given, which is right for a new address; an existing address updated from the row keeps its own
/// values for them instead, so that a file without a timezone column does not move everyone to UTC.
/// </summary>
public sealed record ImportedRow(int Line, Subscriber Subscriber, ImportedFields Given)
{
    internal static ImportedFields GivenIn(ImportRecord record)
    {
        var given = ImportedFields.None;
        if (record.Name is not null) given |= ImportedFields.Name;
        if (record.Topics is not null) given |= ImportedFields.Topics;
        if (record.Keywords is not null) given |= ImportedFields.Keywords;
        if (record.Exclusions is not null) given |= ImportedFields.Exclusions;
        if (record.TimeZone is not null) given |= ImportedFields.TimeZone;
        if (record.Hour is not null) given |= ImportedFields.Hour;
        if (record.Frequency is not null) given |= ImportedFields.Frequency;
        if (record.MaxPapers is not null) given |= ImportedFields.MaxPapers;
        if (record.Trending is not null) given |= ImportedFields.Trending;
        return given;
    }

    /// <summary><paramref name="existing"/> with this row's given fields in place of its own.</summary>
    public Subscriber UpdateOf(Subscriber existing) => existing with
    {
        Name = Given.HasFlag(ImportedFields.Name) ? Subscriber.Name : existing.Name,
        Profile = UpdateOf(existing.Profile),
        TimeZone = Given.HasFlag(ImportedFields.TimeZone) ? Subscriber.TimeZone : existing.TimeZone,
        DeliveryHour = Given.HasFlag(ImportedFields.Hour) ? Subscriber.DeliveryHour : existing.DeliveryHour,
        Frequency = Given.HasFlag(ImportedFields.Frequency) ? Subscriber.Frequency : existing.Frequency,
        MaxPapers = Given.HasFlag(ImportedFields.MaxPapers) ? Subscriber.MaxPapers : existing.MaxPapers,
    };

    private SubscriberProfile UpdateOf(SubscriberProfile existing) => new()
    {
        Topics = Given.HasFlag(ImportedFields.Topics) ? Subscriber.Profile.Topics : existing.Topics,
        Keywords = Given.HasFlag(ImportedFields.Keywords) ? Subscriber.Profile.Keywords : existing.Keywords,
        Exclusions = Given.HasFlag(ImportedFields.Exclusions) ? Subscriber.Profile.Exclusions : existing.Exclusions,
        Trending = Given.HasFlag(ImportedFields.Trending) ? Subscriber.Profile.Trending : existing.Trending,
    };
}
