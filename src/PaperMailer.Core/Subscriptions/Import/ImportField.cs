namespace PaperMailer.Subscriptions.Import;

/// <summary>The columns of a CSV import file and the properties of a JSON lines import file.</summary>
internal enum ImportField { Email, Name, Topics, Keywords, Exclusions, TimeZone, Hour, Frequency, MaxPapers, Trending }

internal static class ImportFields
{
    public const int Count = 10;

    private static readonly string[] Names = ["email", "name", "topics", "keywords", "exclude", "timezone", "hour", "frequency", "max_papers", "trending"];

    /// <summary>"email, name, …" for messages that list what is accepted.</summary>
    public static readonly string AllNames = string.Join(", ", Names);

    public static string Name(ImportField field) => Names[(int)field];

    /// <summary>Field names match case-insensitively and ignore surrounding spaces, as spreadsheet headers vary.</summary>
    public static bool TryFind(ReadOnlySpan<char> name, out ImportField field)
    {
        var trimmed = name.Trim();
        for (var i = 0; i < Names.Length; i++)
        {
            if (trimmed.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                field = (ImportField)i;
                return true;
            }
        }
        field = default;
        return false;
    }
}
