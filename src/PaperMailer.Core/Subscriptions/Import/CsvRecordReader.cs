using System.Buffers;
using System.Text;

namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// Splits RFC 4180 text into records: comma-separated fields; double quotes around a field that holds commas, quotes
/// or line breaks; a doubled quote for a quote inside such a field; CRLF, LF or CR at line ends. It counts physical
/// lines, so a problem in a record can name the line the record starts on even after multi-line quoted fields.
/// </summary>
internal sealed class CsvRecordReader(string text)
{
    private static readonly SearchValues<char> PlainFieldEnd = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedFieldStop = SearchValues.Create("\"\r\n");

    private readonly StringBuilder _quoted = new();
    private int _position;
    private int _line = 1;
    private int _recordLine = 1;

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>; false when the text is used up. When
    /// <paramref name="problem"/> is set the record is malformed and its fields must not be used.
    /// </summary>
    public bool TryRead(List<string> fields, out int startLine, out string? problem)
    {
        fields.Clear();
        problem = null;
        startLine = _recordLine = _line;
        if (_position >= text.Length) return false;
        while (true)
        {
            if (text[_position] == '"')
            {
                if (!ReadQuotedField(fields, ref problem)) return true;
            }
            else
            {
                ReadPlainField(fields);
            }

            if (_position >= text.Length) return true;
            if (text[_position] != ',')
            {
                SkipLineEnd();
                return true;
            }
            _position++;
            if (_position >= text.Length)
            {
                // "a,b," at the very end still has an empty last field.
                fields.Add("");
                return true;
            }
        }
    }

    private void ReadPlainField(List<string> fields)
    {
        var length = text.AsSpan(_position).IndexOfAny(PlainFieldEnd);
        if (length < 0) length = text.Length - _position;
        fields.Add(length == 0 ? "" : text.Substring(_position, length));
        _position += length;
    }

    /// <summary>Returns false when the closing quote is missing; the rest of the text has then been consumed.</summary>
    private bool ReadQuotedField(List<string> fields, ref string? problem)
    {
        var openedOnLine = _line;
        _position++;
        _quoted.Clear();
        while (true)
        {
            var rest = text.AsSpan(_position);
            var stop = rest.IndexOfAny(QuotedFieldStop);
            if (stop < 0)
            {
                problem = openedOnLine == _recordLine
                    ? $"field {fields.Count + 1} opens a quote that is never closed"
                    : $"field {fields.Count + 1} opens a quote on line {openedOnLine} that is never closed";
                _position = text.Length;
                return false;
            }
            _quoted.Append(rest[..stop]);
            _position += stop;
            var c = text[_position];
            if (c == '"')
            {
                if (_position + 1 < text.Length && text[_position + 1] == '"')
                {
                    _quoted.Append('"');
                    _position += 2;
                    continue;
                }
                _position++;
                break;
            }
            // A line break inside quotes is part of the value, but it still starts a new physical line.
            var lineEnd = c == '\r' && _position + 1 < text.Length && text[_position + 1] == '\n' ? 2 : 1;
            _quoted.Append(text, _position, lineEnd);
            _position += lineEnd;
            _line++;
        }

        fields.Add(_quoted.ToString());
        if (_position < text.Length && !PlainFieldEnd.Contains(text[_position]))
        {
            problem ??= $"field {fields.Count} has text after its closing quote (write a quote inside a quoted field as \"\")";
            var next = text.AsSpan(_position).IndexOfAny(PlainFieldEnd);
            _position = next < 0 ? text.Length : _position + next;
        }
        return true;
    }

    private void SkipLineEnd()
    {
        _position += text[_position] == '\r' && _position + 1 < text.Length && text[_position + 1] == '\n' ? 2 : 1;
        _line++;
    }
}
