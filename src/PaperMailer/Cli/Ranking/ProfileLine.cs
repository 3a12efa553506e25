using System.Text;
using System.Text.Json;
using PaperMailer.Domain;
using PaperMailer.Rank;

namespace PaperMailer.Cli.Ranking;

/// <summary>
/// One line of a profiles file: <c>{"id", "keywords": [...], "exclude": [...], "topics": [...]}</c>. Read straight from
/// the line's UTF-8 bytes: property names match ignoring case, other properties are skipped, a missing or null list
/// is empty (as the CLI's other JSON readers take them).
/// </summary>
internal sealed record ProfileLine(string Id, SubscriberProfile Profile)
{
    /// <summary>Whether the line has nothing but white space (such lines are skipped).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line)
    {
        while (!line.IsEmpty)
        {
            Rune.DecodeFromUtf8(line, out var rune, out var length);
            if (!Rune.IsWhiteSpace(rune)) return false;
            line = line[length..];
        }
        return true;
    }

    /// <summary>Reads one line; a line that is not a profile throws <see cref="ProfileFormatException"/> with the reason.</summary>
    public static ProfileLine Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                EnsureNothingFollows(ref reader);
                throw new ProfileFormatException("the line is null, not a profile object.");
            }
            if (reader.TokenType != JsonTokenType.StartObject) throw NotAProfile($"a profile is a JSON object, found {Describe(reader.TokenType)}");
            string? id = null;
            IReadOnlyList<string> keywords = [], exclusions = [], topics = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader);
                reader.Read();
                switch (field)
                {
                    case Field.Id:
                        id = reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString(),
                            JsonTokenType.Null => null,
                            _ => throw NotAProfile($"\"id\" must be text, found {Describe(reader.TokenType)}"),
                        };
                        break;
                    case Field.Keywords: keywords = TextList(ref reader, "keywords"); break;
                    case Field.Exclusions: exclusions = TextList(ref reader, "exclude"); break;
                    case Field.Topics: topics = TextList(ref reader, "topics"); break;
                    default: reader.Skip(); break;
                }
            }
            EnsureNothingFollows(ref reader);
            if (string.IsNullOrWhiteSpace(id)) throw new ProfileFormatException("\"id\" is missing.");
            return new ProfileLine(id, new SubscriberProfile { Topics = topics, Keywords = keywords, Exclusions = exclusions });
        }
        catch (JsonException ex)
        {
            // The reader's message ends with its own position ("LineNumber: 0 | BytePositionInLine: 37."); the
            // caller names the line, so only the byte is kept.
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw NotAProfile($"{(cut > 0 ? message[..cut] : message).TrimEnd('.')}, at byte {ex.BytePositionInLine + 1}");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader turns text into strings only when asked, and fails then on bytes that are not UTF-8.
            throw NotAProfile("its text is not valid UTF-8");
        }
    }

    private enum Field { Other, Id, Keywords, Exclusions, Topics }

    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        Span<char> buffer = stackalloc char[32];
        ReadOnlySpan<char> name = reader.ValueSpan.Length <= buffer.Length ? buffer[..reader.CopyString(buffer)] : reader.GetString();
        return name.Equals("id", StringComparison.OrdinalIgnoreCase) ? Field.Id
            : name.Equals("keywords", StringComparison.OrdinalIgnoreCase) ? Field.Keywords
            : name.Equals("exclude", StringComparison.OrdinalIgnoreCase) ? Field.Exclusions
            : name.Equals("topics", StringComparison.OrdinalIgnoreCase) ? Field.Topics
            : Field.Other;
    }

    private static IReadOnlyList<string> TextList(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType == JsonTokenType.Null) return [];
        if (reader.TokenType != JsonTokenType.StartArray) throw NotAProfile($"\"{name}\" must be a list of text, found {Describe(reader.TokenType)}");
        List<string>? items = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw NotAProfile($"\"{name}\" must be a list of text, found {Describe(reader.TokenType)} in it");
            (items ??= []).Add(Known(ref reader));
        }
        return items ?? [];
    }

    /// <summary>Beyond this many remembered texts per thread, the memory starts over.</summary>
    private const int MaxRemembered = 20_000;

    /// <summary>Texts under this many UTF-8 bytes are looked up without making a string first.</summary>
    private const int MaxLookedUp = 256;

    [ThreadStatic] private static Dictionary<string, string>? _texts;

    /// <summary>
    /// The reader's string, one instance per text: the same few hundred keywords fill every line of a profiles file,
    /// and making a string of each of them again was most of what reading a line allocated.
    /// </summary>
    private static string Known(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueSpan.Length > MaxLookedUp) return reader.GetString()!;
        var texts = _texts ??= new Dictionary<string, string>(StringComparer.Ordinal);
        Span<char> buffer = stackalloc char[MaxLookedUp];
        var text = buffer[..reader.CopyString(buffer)];
        var lookup = texts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known)) return known;
        if (texts.Count >= MaxRemembered) texts.Clear();
        known = text.ToString();
        texts[known] = known;
        return known;
    }

    /// <summary>Only white space may follow the profile on its line (the reader throws for anything else).</summary>
    private static void EnsureNothingFollows(ref Utf8JsonReader reader) => reader.Read();

    private static ProfileFormatException NotAProfile(string reason) =>
        new($"not a valid JSON profile ({reason.TrimEnd('.')}).");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "text",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
