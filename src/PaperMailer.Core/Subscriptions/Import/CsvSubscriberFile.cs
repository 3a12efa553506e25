namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// Reads the CSV form of an import file: a header row naming the columns (any order, any case), then one
/// subscriber per record. Rows whose fields are all empty, as spreadsheets like to leave at the end, are skipped.
/// </summary>
internal static class CsvSubscriberFile
{
    public static void Read(string text, SubscriberImportBatch batch)
    {
        var reader = new CsvRecordReader(text);
        var fields = new List<string>();
        ImportField[]? columns = null;
        while (reader.TryRead(fields, out var line, out var problem))
        {
            if (problem is not null)
            {
                batch.AddError(line, problem);
                // Without a header the rows mean nothing.
                if (columns is null) return;
                continue;
            }
            if (AllBlank(fields)) continue;
            if (columns is null)
            {
                columns = ReadHeader(fields, line, batch);
                if (columns is null) return;
                continue;
            }
            if (fields.Count != columns.Length)
            {
                batch.AddError(line, $"the row has {fields.Count} fields but the header has {columns.Length} columns (put double quotes around a value that contains a comma)");
                continue;
            }
            var record = new ImportRecord(line);
            for (var i = 0; i < columns.Length; i++) record.SetText(columns[i], fields[i]);
            batch.Add(record);
        }
        if (columns is null)
        {
            batch.AddError(1, $"the file is empty; it needs a header row naming its columns ({ImportFields.AllNames}) and one row per subscriber");
        }
    }

    /// <summary>Maps each column to its field, or reports every problem with the header and returns null.</summary>
    private static ImportField[]? ReadHeader(List<string> names, int line, SubscriberImportBatch batch)
    {
        var columns = new ImportField[names.Count];
        var seen = new bool[ImportFields.Count];
        var unknown = new List<string>();
        var repeated = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!ImportFields.TryFind(names[i], out var field))
            {
                unknown.Add(names[i].Trim().Length == 0 ? $"(column {i + 1} has no name)" : $"\"{names[i].Trim()}\"");
                continue;
            }
            if (seen[(int)field]) repeated.Add($"\"{ImportFields.Name(field)}\"");
            seen[(int)field] = true;
            columns[i] = field;
        }

        if (unknown.Count == names.Count)
        {
            batch.AddError(line, $"the first row must be a header naming the columns ({ImportFields.AllNames}), but it names none of them");
            return null;
        }
        var ok = true;
        if (unknown.Count > 0)
        {
            batch.AddError(line, $"unknown {(unknown.Count == 1 ? "column" : "columns")} {string.Join(", ", unknown)}; the columns are {ImportFields.AllNames}");
            ok = false;
        }
        if (repeated.Count > 0)
        {
            batch.AddError(line, repeated.Count == 1
                ? $"column {repeated[0]} appears more than once in the header"
                : $"columns {string.Join(", ", repeated)} appear more than once in the header");
            ok = false;
        }
        if (!seen[(int)ImportField.Email])
        {
            batch.AddError(line, $"the header has no \"email\" column; the first row must name the columns ({ImportFields.AllNames})");
            ok = false;
        }
        return ok ? columns : null;
    }

    private static bool AllBlank(List<string> fields)
    {
        foreach (var field in fields)
        {
            if (!string.IsNullOrWhiteSpace(field)) return false;
        }
        return true;
    }
}
