namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// One record of an import file as written, before defaults and conversion: scalar values as text (null when
/// absent or blank), list values already split into cleaned items.
/// </summary>
internal sealed class ImportRecord(int line)
{
    private List<string>? _problems;
    private int _unreadableFields;

    /// <summary>The physical line the record starts on.</summary>
    public int Line { get; } = line;

    public string? Email { get; set; }
    public string? Name { get; set; }
    public string? TimeZone { get; set; }
    public string? Hour { get; set; }
    public string? Frequency { get; set; }
    public string? MaxPapers { get; set; }
    public string? Trending { get; set; }
    public IReadOnlyList<string>? Topics { get; set; }
    public IReadOnlyList<string>? Keywords { get; set; }
    public IReadOnlyList<string>? Exclusions { get; set; }

    /// <summary>Problems found while reading the record, before any rule was checked.</summary>
    public IReadOnlyList<string> Problems => _problems ?? (IReadOnlyList<string>)[];

    public void AddProblem(string problem) => (_problems ??= []).Add(problem);

    /// <summary>Records a problem with a field's value, which therefore counts as unknown rather than as empty.</summary>
    public void AddProblem(ImportField field, string problem)
    {
        AddProblem(problem);
        MarkUnreadable(field);
    }

    public void MarkUnreadable(ImportField field) => _unreadableFields |= 1 << (int)field;

    public bool IsUnreadable(ImportField field) => (_unreadableFields & (1 << (int)field)) != 0;

    /// <summary>Stores a value written as text; list fields are split at semicolons.</summary>
    public void SetText(ImportField field, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        switch (field)
        {
            case ImportField.Email: Email = text; break;
            case ImportField.Name: Name = text; break;
            case ImportField.TimeZone: TimeZone = text; break;
            case ImportField.Hour: Hour = text; break;
            case ImportField.Frequency: Frequency = text; break;
            case ImportField.MaxPapers: MaxPapers = text; break;
            case ImportField.Trending: Trending = text; break;
            default: SetList(field, ImportText.SplitItems(text)); break;
        }
    }

    public void SetList(ImportField field, IReadOnlyList<string> items)
    {
        switch (field)
        {
            case ImportField.Topics: Topics = items; break;
            case ImportField.Keywords: Keywords = items; break;
            case ImportField.Exclusions: Exclusions = items; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not a list field.");
        }
    }

    public static bool IsList(ImportField field) => field is ImportField.Topics or ImportField.Keywords or ImportField.Exclusions;
}
