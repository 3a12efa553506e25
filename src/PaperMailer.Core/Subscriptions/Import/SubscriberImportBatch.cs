using System.Globalization;
using PaperMailer.Domain;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// Turns the records of one import file into subscribers, applying defaults and <see cref="SubscriberRules"/>,
/// and collects every problem with its file and line. Nothing is handed out unless the whole file is clean.
/// </summary>
internal sealed class SubscriberImportBatch
{
    private const string DefaultTimeZone = "UTC";
    private const int DefaultDeliveryHour = 8;
    private const int DefaultMaxPapers = 10;

    private readonly string _displayName;
    private readonly IReadOnlyList<Topic> _topics;
    private readonly DateTimeOffset _createdAt;
    private readonly List<ImportedRow> _rows = [];
    private readonly List<ImportProblem> _problems = [];
    private readonly Dictionary<string, int> _lineByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _topicIdByAnyCase = new(StringComparer.OrdinalIgnoreCase);
    // The system time zone lookup reads the zone database for ids it does not know; a file repeats a handful of ids.
    private readonly Dictionary<string, bool> _timeZoneValidity = new(StringComparer.Ordinal);
    private readonly Func<string?, bool> _isTimeZone;

    public SubscriberImportBatch(string displayName, IReadOnlyList<Topic> topics, DateTimeOffset createdAt)
    {
        _displayName = displayName;
        _topics = topics;
        _createdAt = createdAt;
        foreach (var id in topics.Select(t => t.Id)) _topicIdByAnyCase.TryAdd(id, id);
        _isTimeZone = IsTimeZoneCached;
    }

    public void AddError(int line, string problem) => _problems.Add(new ImportProblem(line, problem));

    public void Add(ImportRecord record)
    {
        foreach (var problem in record.Problems) AddError(record.Line, problem);

        var hour = ParseWholeNumber(record.Hour, "hour", DefaultDeliveryHour, record.Line);
        var maxPapers = ParseWholeNumber(record.MaxPapers, "max_papers", DefaultMaxPapers, record.Line);
        var frequency = ParseFrequency(record.Frequency, record.Line);
        var profile = ProfileOf(record);
        var name = record.Name is null ? null : ImportText.CollapseWhitespace(record.Name);
        // Line breaks and tabs are already spaces; anything else invisible would end up in a mail header.
        if (name is not null && ImportText.HasControlCharacters(name))
        {
            AddError(record.Line, "name: contains control characters");
        }

        var subscriber = new Subscriber
        {
            Email = record.Email?.Trim() ?? "",
            Name = string.IsNullOrEmpty(name) ? null : name,
            Status = SubscriberStatus.Active,
            TimeZone = record.TimeZone?.Trim() ?? DefaultTimeZone,
            DeliveryHour = hour,
            Frequency = frequency,
            Profile = profile,
            MaxPapers = maxPapers,
            CreatedAt = _createdAt,
        };
        foreach (var problem in SubscriberRules.Problems(subscriber, _topics, _isTimeZone))
        {
            if (!FollowsFromUnreadableField(problem, record)) AddError(record.Line, problem);
        }

        if (subscriber.Email.Length > 0 && !_lineByEmail.TryAdd(subscriber.Email, record.Line))
        {
            AddError(record.Line, $"email: {subscriber.Email} is already listed on line {_lineByEmail[subscriber.Email]}");
        }

        // Once the file has failed, its subscribers are never handed out; don't hold on to them.
        if (_problems.Count == 0) _rows.Add(new ImportedRow(record.Line, subscriber, ImportedRow.GivenIn(record)));
    }

    public SubscriberImportResult ToResult() =>
        _problems.Count > 0
            ? SubscriberImportResult.Failure(_displayName, _problems, _lineByEmail)
            : SubscriberImportResult.Success(_displayName, _rows, _lineByEmail);

    /// <summary>
    /// A value that could not be read is left out; "the email address is empty" or "pick at least one topic" would
    /// then only repeat the problem already reported for that field.
    /// </summary>
    private static bool FollowsFromUnreadableField(string problem, ImportRecord record)
    {
        var colon = problem.IndexOf(':');
        var label = colon < 0 ? "" : problem.AsSpan(0, colon);
        return label switch
        {
            "email" => record.IsUnreadable(ImportField.Email),
            "name" => record.IsUnreadable(ImportField.Name),
            "timezone" => record.IsUnreadable(ImportField.TimeZone),
            "topics" => record.IsUnreadable(ImportField.Topics),
            "keywords" => record.IsUnreadable(ImportField.Keywords) || record.IsUnreadable(ImportField.Exclusions),
            "profile" => record.IsUnreadable(ImportField.Topics) || record.IsUnreadable(ImportField.Keywords) || record.IsUnreadable(ImportField.Trending),
            _ => false,
        };
    }

    /// <summary>The profile the record asks for; a trending value that is not yes or no is reported, and read as no.</summary>
    private SubscriberProfile ProfileOf(ImportRecord record) => new()
    {
        Topics = CanonicalTopicIds(record.Topics),
        Keywords = record.Keywords ?? [],
        Exclusions = record.Exclusions ?? [],
        Trending = ParseYesNo(record.Trending, "trending", record.Line),
    };

    private int ParseWholeNumber(string? text, string field, int defaultValue, int line)
    {
        if (text is null) return defaultValue;
        if (int.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        AddError(line, $"{field}: \"{text.Trim()}\" is not a whole number");
        return defaultValue;
    }

    /// <summary>A yes/no column: true, yes or 1; false, no, 0 (or blank: no).</summary>
    private bool ParseYesNo(string? text, string field, int line)
    {
        if (text is null) return false;
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed is "true" or "yes" or "1") return true;
        if (trimmed is "false" or "no" or "0") return false;
        AddError(line, $"{field}: \"{text.Trim()}\" is not yes or no (true/false, 1/0)");
        return false;
    }

    private DigestFrequency ParseFrequency(string? text, int line)
    {
        if (text is null) return DigestFrequency.Daily;
        if (DigestFrequencies.Parse(text) is { } frequency) return frequency;
        AddError(line, $"frequency: \"{text.Trim()}\" is not daily, weekly or feed-only");
        return DigestFrequency.Daily;
    }

    /// <summary>Topic ids are matched case-insensitively; storing the catalogue's spelling keeps later lookups simple.</summary>
    private IReadOnlyList<string> CanonicalTopicIds(IReadOnlyList<string>? topics)
    {
        if (topics is null || topics.Count == 0) return [];
        var result = new string[topics.Count];
        for (var i = 0; i < topics.Count; i++)
        {
            result[i] = _topicIdByAnyCase.TryGetValue(topics[i], out var known) ? known : topics[i];
        }
        return result;
    }

    private bool IsTimeZoneCached(string? id)
    {
        if (id is null) return false;
        if (!_timeZoneValidity.TryGetValue(id, out var valid))
        {
            valid = SubscriberRules.IsTimeZone(id);
            _timeZoneValidity.Add(id, valid);
        }
        return valid;
    }
}
