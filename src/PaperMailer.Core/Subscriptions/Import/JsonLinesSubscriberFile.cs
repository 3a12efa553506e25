using System.Text.Json;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// Reads the JSON lines form of an import file: one object per line with the CSV column names as properties (any
/// case). Lists may be JSON arrays or semicolon-separated strings; numbers may be JSON numbers or numeric strings.
/// Blank lines are skipped.
/// </summary>
internal static class JsonLinesSubscriberFile
{
    public static void Read(string text, SubscriberImportBatch batch)
    {
        var position = 0;
        var line = 0;
        while (position < text.Length)
        {
            line++;
            var length = text.AsSpan(position).IndexOf('\n');
            var next = length < 0 ? text.Length : position + length + 1;
            if (length < 0) length = text.Length - position;
            if (length > 0 && text[position + length - 1] == '\r') length--;
            var content = text.AsMemory(position, length);
            position = next;
            if (content.Span.IsWhiteSpace()) continue;
            if (ReadLine(content, line, batch) is { } record) batch.Add(record);
        }
    }

    /// <summary>Returns null, with the problem reported, when the line is not a JSON object at all.</summary>
    private static ImportRecord? ReadLine(ReadOnlyMemory<char> content, int line, SubscriberImportBatch batch)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            batch.AddError(line, $"not valid JSON at byte {(ex.BytePositionInLine ?? 0) + 1} of the line: {FirstSentence(ex.Message)} (each line holds one complete object)");
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                batch.AddError(line, $"expected a JSON object such as {{\"email\": \"ann@example.org\", \"topics\": [\"nlp\"]}}, found {Describe(root.ValueKind)}");
                return null;
            }
            var record = new ImportRecord(line);
            ReadProperties(root, record);
            return record;
        }
    }

    private static void ReadProperties(JsonElement root, ImportRecord record)
    {
        Span<bool> seen = stackalloc bool[ImportFields.Count];
        List<string>? unknown = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!ImportFields.TryFind(property.Name, out var field))
            {
                (unknown ??= []).Add($"\"{property.Name}\"");
                continue;
            }
            var name = ImportFields.Name(field);
            if (seen[(int)field])
            {
                record.AddProblem($"{name}: appears more than once");
                continue;
            }
            seen[(int)field] = true;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (ImportRecord.IsList(field))
            {
                ReadList(field, value, record);
            }
            else if (field is ImportField.Trending && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                record.SetText(field, value.GetRawText());
            }
            else if (field is ImportField.Hour or ImportField.MaxPapers)
            {
                if (value.ValueKind == JsonValueKind.Number) record.SetText(field, value.GetRawText());
                else if (value.ValueKind == JsonValueKind.String) record.SetText(field, value.GetString()!);
                else record.AddProblem(field, $"{name}: expected a number, found {Describe(value.ValueKind)}");
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                record.SetText(field, value.GetString()!);
            }
            else
            {
                record.AddProblem(field, $"{name}: expected a string, found {Describe(value.ValueKind)}");
            }
        }
        if (unknown is not null)
        {
            record.AddProblem($"unknown {(unknown.Count == 1 ? "field" : "fields")} {string.Join(", ", unknown)}; the fields are {ImportFields.AllNames}");
        }
    }

    private static void ReadList(ImportField field, JsonElement value, ImportRecord record)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            record.SetText(field, value.GetString()!);
            return;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            record.AddProblem(field, $"{ImportFields.Name(field)}: expected an array of strings or a string with items separated by \";\", found {Describe(value.ValueKind)}");
            return;
        }
        var items = new List<string>(value.GetArrayLength());
        var index = 0;
        var wrongItems = 0;
        foreach (var item in value.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.String)
            {
                record.AddProblem($"{ImportFields.Name(field)}: item {index} is {Describe(item.ValueKind)}, expected a string");
                wrongItems++;
                continue;
            }
            var text = item.GetString()!;
            if (!string.IsNullOrWhiteSpace(text)) items.Add(ImportText.CollapseWhitespace(text));
        }
        // Only wrong items: the list is unknown rather than empty.
        if (items.Count == 0 && wrongItems > 0) record.MarkUnreadable(field);
        record.SetList(field, items);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    /// <summary>System.Text.Json appends "LineNumber: … | BytePositionInLine: …", which means nothing to a reader of one line.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd();
    }
}
