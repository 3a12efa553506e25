using System.Buffers;

namespace PaperMailer.Rank.Text;

/// <summary>
/// The Snowball English ("Porter2") stemmer, following the current definition of the algorithm at
/// snowballstem.org (including the later additions: extra R1 prefixes, the "past" short-syllable
/// case, the general "-ying" rule and "-ogist").
/// </summary>
/// <remarks>
/// Input is expected to be lower case already. The stemmer works on a private copy of the word in a
/// char buffer; the only allocation on the <see cref="Stem(string)"/> path is the result string, and
/// none at all when the stem equals the input or when <see cref="TryStem"/> is used.
/// </remarks>
public static class EnglishStemmer
{
    // Above this the working copy goes to the heap; real words are far shorter.
    private const int StackBufferLength = 64;

    // Stemming never lengthens a word: every rule replaces a suffix by something no longer, and
    // Step 1b only re-adds an 'e' after removing at least two letters. A buffer of the input's
    // length is therefore always enough.

    /// <summary>Returns the stem of <paramref name="word"/>, or the same instance when it is its own stem.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2)
        {
            return word;
        }

        Span<char> buffer = word.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : new char[word.Length];
        buffer = buffer[..word.Length];
        word.AsSpan().CopyTo(buffer);

        int length = StemInPlace(buffer);
        ReadOnlySpan<char> stem = buffer[..length];
        return stem.SequenceEqual(word) ? word : new string(stem);
    }

    /// <summary>Returns the stem of <paramref name="word"/> as a new string.</summary>
    public static string Stem(ReadOnlySpan<char> word)
    {
        if (word.Length <= 2)
        {
            return new string(word);
        }

        Span<char> buffer = word.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : new char[word.Length];
        buffer = buffer[..word.Length];
        word.CopyTo(buffer);
        return new string(buffer[..StemInPlace(buffer)]);
    }

    /// <summary>
    /// Writes the stem of <paramref name="word"/> to <paramref name="destination"/> without allocating.
    /// Fails only when <paramref name="destination"/> is shorter than <paramref name="word"/>.
    /// </summary>
    public static bool TryStem(ReadOnlySpan<char> word, Span<char> destination, out int charsWritten)
    {
        if (destination.Length < word.Length)
        {
            charsWritten = 0;
            return false;
        }

        Span<char> buffer = destination[..word.Length];
        word.CopyTo(buffer);
        charsWritten = word.Length <= 2 ? word.Length : StemInPlace(buffer);
        return true;
    }

    /// <summary>Stems the word held in <paramref name="w"/> (length at least 3) and returns the stem's length.</summary>
    private static int StemInPlace(Span<char> w)
    {
        // The exceptional forms are looked up on the word exactly as given, before any other change.
        if (Exception1(w) is { } form)
        {
            form.CopyTo(w);
            return form.Length;
        }

        int length = w.Length;

        // Prelude: a leading apostrophe is not part of the word (quotes such as 'tis or 'twas).
        if (w[0] == '\'')
        {
            w[1..length].CopyTo(w);
            length--;
        }

        // Prelude: a 'y' that acts as a consonant (initial, or after a vowel) is marked 'Y' so that it
        // neither counts as a vowel when finding regions nor gets turned into 'i' by Step 1c.
        // Scanning left to right matters: a freshly marked 'Y' is not a vowel for the next letter.
        bool yFound = false;
        if (length > 0 && w[0] == 'y')
        {
            w[0] = 'Y';
            yFound = true;
        }

        for (int i = 1; i < length; i++)
        {
            if (w[i] == 'y' && IsVowel(w[i - 1]))
            {
                w[i] = 'Y';
                yFound = true;
            }
        }

        // Regions are fixed on the word as it is now; later steps shorten the word, so the positions
        // can end up beyond the end, which simply means the region is empty.
        var (p1, p2) = MarkRegions(w[..length]);

        length = Step1a(w, length);
        length = Step1b(w, length, p1);
        Step1c(w, length);
        length = Step2(w, length, p1);
        length = Step3(w, length, p1, p2);
        length = Step4(w, length, p2);
        length = Step5(w, length, p1, p2);

        if (yFound)
        {
            w[..length].Replace('Y', 'y');
        }

        return length;
    }

    private static string? Exception1(ReadOnlySpan<char> word) => word switch
    {
        // Irregular forms the suffix rules would get wrong.
        "skis" => "ski",
        "skies" => "sky",

        // -ly words whose "ly" is not the adverbial suffix Step 2 would remove.
        "idly" => "idl",
        "gently" => "gentl",
        "ugly" => "ugli",
        "early" => "earli",
        "only" => "onli",
        "singly" => "singl",

        // Invariant: these look like plurals or -y words but are not.
        "sky" => "sky",
        "news" => "news",
        "howe" => "howe",
        "atlas" => "atlas",
        "cosmos" => "cosmos",
        "bias" => "bias",
        "andes" => "andes",
        _ => null,
    };

    /// <summary>
    /// R1 starts after the first non-vowel that follows a vowel; R2 is the same rule applied again
    /// within R1. A few common prefixes instead end R1 right after the prefix, because otherwise
    /// related words (general/generous, university/universe, organ/organic...) would stem apart.
    /// </summary>
    private static (int P1, int P2) MarkRegions(ReadOnlySpan<char> w)
    {
        int p1 = RegionPrefixLength(w);
        if (p1 == 0)
        {
            p1 = AfterVowelThenNonVowel(w, 0);
        }

        // With no R1 there is no R2 either: both stay at the end of the word.
        int p2 = p1 == w.Length ? p1 : AfterVowelThenNonVowel(w, p1);
        return (p1, p2);
    }

    private static int RegionPrefixLength(ReadOnlySpan<char> w)
    {
        foreach (string prefix in RegionPrefixes)
        {
            if (w.StartsWith(prefix))
            {
                return prefix.Length;
            }
        }

        return 0;
    }

    // "inter" is the newest entry (after Snowball 3.0); the 2026 reference vocabulary depends on it
    // (internal stays "internal" rather than "intern").
    private static readonly string[] RegionPrefixes =
        ["gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "inter"];

    /// <summary>The position just after the first non-vowel that follows a vowel, searching from <paramref name="start"/>; the word's length if there is none.</summary>
    private static int AfterVowelThenNonVowel(ReadOnlySpan<char> w, int start)
    {
        int i = start;
        while (i < w.Length && !IsVowel(w[i]))
        {
            i++;
        }

        while (i < w.Length && IsVowel(w[i]))
        {
            i++;
        }

        return i < w.Length ? i + 1 : w.Length;
    }

    /// <summary>Step 1a: possessives, then plural -s and its -sses/-ies variants.</summary>
    private static int Step1a(Span<char> w, int length)
    {
        ReadOnlySpan<char> word = w[..length];
        if (word.EndsWith("'s'"))
        {
            length -= 3;
        }
        else if (word.EndsWith("'s"))
        {
            length -= 2;
        }
        else if (word.EndsWith("'"))
        {
            length -= 1;
        }

        word = w[..length];
        if (word.EndsWith("sses"))
        {
            return length - 2;
        }

        if (word.EndsWith("ied") || word.EndsWith("ies"))
        {
            // ties -> tie but cries -> cri: only a single letter before the suffix keeps the 'e'.
            return length - 3 >= 2 ? length - 2 : length - 1;
        }

        if (word.EndsWith("us") || word.EndsWith("ss"))
        {
            // "us" and "ss" are not plurals (census, class); they also shield the plain 's' rule.
            return length;
        }

        // A plain 's' is a plural only if there is a vowel before the letter preceding it:
        // gaps -> gap, but gas and this stay.
        if (word.EndsWith("s") && length >= 3 && w[..(length - 2)].IndexOfAny(VowelSet) >= 0)
        {
            return length - 1;
        }

        return length;
    }

    /// <summary>Step 1b: -eed(ly), and -ed(ly)/-ing(ly) with the repairs needed once they are gone.</summary>
    private static int Step1b(Span<char> w, int length, int p1)
    {
        ReadOnlySpan<char> word = w[..length];

        // The longest matching suffix decides the case; a failed condition does not fall back to a
        // shorter suffix (so "bleed" is not treated as "-ed").
        int suffixLength;
        if (word.EndsWith("eedly"))
        {
            suffixLength = 5;
        }
        else if (word.EndsWith("eed"))
        {
            suffixLength = 3;
        }
        else
        {
            suffixLength = 0;
        }

        if (suffixLength > 0)
        {
            int s = length - suffixLength;

            // proceed, exceed and succeed are not past tenses of "proce", "exce" or "succe".
            ReadOnlySpan<char> before = word[..s];
            if (before is "proc" or "exc" or "succ")
            {
                return length;
            }

            return s >= p1 ? s + 2 : length;
        }

        if (word.EndsWith("ingly") || word.EndsWith("edly"))
        {
            suffixLength = word.EndsWith("ingly") ? 5 : 4;
        }
        else if (word.EndsWith("ing"))
        {
            int s = length - 3;
            ReadOnlySpan<char> before = word[..s];

            // dying, lying, tying, vying: a single consonant plus "ying" is the -ie verb.
            if (s == 2 && before[1] == 'y' && !IsVowel(before[0]))
            {
                w[1] = 'i';
                w[2] = 'e';
                return 3;
            }

            // Whole words that only look like -ing forms (inning, outing, herring, evening...).
            if (before is "inn" or "out" or "cann" or "herr" or "earr" or "even")
            {
                return length;
            }

            suffixLength = 3;
        }
        else if (word.EndsWith("ed"))
        {
            suffixLength = 2;
        }
        else
        {
            return length;
        }

        // Only a suffix preceded by a vowel is removed, so "bed" and "sing" survive.
        int stemLength = length - suffixLength;
        if (w[..stemLength].IndexOfAny(VowelSet) < 0)
        {
            return length;
        }

        length = stemLength;
        word = w[..length];

        // Restore the 'e' that -ed/-ing swallowed: luxuriated -> luxuriate, troubled -> trouble.
        if (word.EndsWith("at") || word.EndsWith("bl") || word.EndsWith("iz"))
        {
            w[length] = 'e';
            return length + 1;
        }

        // Undo consonant doubling (hopped -> hop), except in short words like "add", "egg", "odd"
        // where the double letter belongs to the root.
        if (length >= 2 && w[length - 1] == w[length - 2] && IsUndoubled(w[length - 1]))
        {
            bool rootDouble = length == 3 && w[0] is 'a' or 'e' or 'o';
            return rootDouble ? length : length - 1;
        }

        // A short word lost its final 'e': hoped -> hope. "Short" here means R1 starts exactly at the
        // end of what is left and the word ends in a short syllable.
        if (length == p1 && EndsInShortSyllable(w, length))
        {
            w[length] = 'e';
            return length + 1;
        }

        return length;
    }

    // Doubles of c, h, j, k, q, v, w, x (and of vowels) are not undone.
    private static bool IsUndoubled(char c) => c is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't';

    /// <summary>Step 1c: a final y after a consonant (not the first letter) becomes i, so cry and cries meet.</summary>
    private static void Step1c(Span<char> w, int length)
    {
        if (length >= 3 && w[length - 1] is 'y' or 'Y' && !IsVowel(w[length - 2]))
        {
            w[length - 1] = 'i';
        }
    }

    /// <summary>Step 2: map derivational suffixes in R1 to a simpler form (-ization -> -ize, -fulness -> -ful...).</summary>
    private static int Step2(Span<char> w, int length, int p1)
    {
        ReadOnlySpan<char> word = w[..length];
        foreach (var (suffix, replacement) in Step2Rules)
        {
            if (!word.EndsWith(suffix))
            {
                continue;
            }

            int s = length - suffix.Length;
            if (s < p1)
            {
                return length;
            }

            // "-ogi" is only the Greek -logy ending when it follows an 'l' (analogi -> analog).
            if (suffix == "ogi" && (s == 0 || w[s - 1] != 'l'))
            {
                return length;
            }

            // "-li" (from -ly) is only treated as the adverb ending after letters that commonly end
            // the underlying adjective; this keeps words such as "reply" or "fly" whole.
            if (suffix == "li" && (s == 0 || !IsValidLiEnding(w[s - 1])))
            {
                return length;
            }

            return Replace(w, s, replacement);
        }

        return length;
    }

    // Longest suffixes first, so the first match is the one the algorithm means.
    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ization", "ize"),
        ("ational", "ate"),
        ("fulness", "ful"),
        ("ousness", "ous"),
        ("iveness", "ive"),
        ("tional", "tion"),
        ("biliti", "ble"),
        ("lessli", "less"),
        ("entli", "ent"),
        ("ation", "ate"),
        ("alism", "al"),
        ("aliti", "al"),
        ("ousli", "ous"),
        ("iviti", "ive"),
        ("fulli", "ful"),
        ("ogist", "og"),
        ("enci", "ence"),
        ("anci", "ance"),
        ("abli", "able"),
        ("izer", "ize"),
        ("ator", "ate"),
        ("alli", "al"),
        ("bli", "ble"),
        ("ogi", "og"),
        ("li", ""),
    ];

    private static bool IsValidLiEnding(char c) =>
        c is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't';

    /// <summary>Step 3: further simplify suffixes in R1 (-icate -> -ic, -ness removed...); -ative needs R2.</summary>
    private static int Step3(Span<char> w, int length, int p1, int p2)
    {
        ReadOnlySpan<char> word = w[..length];
        foreach (var (suffix, replacement) in Step3Rules)
        {
            if (!word.EndsWith(suffix))
            {
                continue;
            }

            int s = length - suffix.Length;
            if (s < p1 || (suffix == "ative" && s < p2))
            {
                return length;
            }

            return Replace(w, s, replacement);
        }

        return length;
    }

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("ational", "ate"),
        ("tional", "tion"),
        ("alize", "al"),
        ("icate", "ic"),
        ("iciti", "ic"),
        ("ative", ""),
        ("ical", "ic"),
        ("ness", ""),
        ("ful", ""),
    ];

    /// <summary>Step 4: remove residual suffixes, but only from R2 so that short roots stay intact.</summary>
    private static int Step4(Span<char> w, int length, int p2)
    {
        ReadOnlySpan<char> word = w[..length];
        foreach (string suffix in Step4Suffixes)
        {
            if (!word.EndsWith(suffix))
            {
                continue;
            }

            int s = length - suffix.Length;
            if (s < p2)
            {
                return length;
            }

            // "-ion" goes only in -sion/-tion (adoption -> adopt), not in words like "champion".
            if (suffix == "ion" && (s == 0 || w[s - 1] is not ('s' or 't')))
            {
                return length;
            }

            return s;
        }

        return length;
    }

    // Longest first: "-ement" must win over "-ment" and "-ent" even when it then fails the R2 test.
    private static readonly string[] Step4Suffixes =
    [
        "ement",
        "ance", "ence", "able", "ible", "ment",
        "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
        "al", "er", "ic",
    ];

    /// <summary>Step 5: a final e (in R2, or in R1 unless that leaves a short syllable) and the second l of -ll in R2.</summary>
    private static int Step5(Span<char> w, int length, int p1, int p2)
    {
        int s = length - 1;
        if (s < 0)
        {
            return length;
        }

        if (w[s] == 'e')
        {
            // Keep the e where it marks a long vowel: hope stays hope, but generate -> generat.
            bool remove = s >= p2 || (s >= p1 && !EndsInShortSyllable(w, s));
            return remove ? s : length;
        }

        if (w[s] == 'l' && s >= p2 && s > 0 && w[s - 1] == 'l')
        {
            return s;
        }

        return length;
    }

    /// <summary>
    /// Whether w[..end] ends in a short syllable: a vowel followed by a non-vowel other than w, x or Y
    /// and preceded by a non-vowel, or a vowel at the start of the word followed by a non-vowel.
    /// "past" also counts, so that pasted/pasting keep their 'e' (paste) like "past" keeps its own form.
    /// </summary>
    private static bool EndsInShortSyllable(ReadOnlySpan<char> w, int end)
    {
        if (end >= 3 && !IsVowel(w[end - 1]) && w[end - 1] is not ('w' or 'x' or 'Y')
            && IsVowel(w[end - 2]) && !IsVowel(w[end - 3]))
        {
            return true;
        }

        if (end == 2 && IsVowel(w[0]) && !IsVowel(w[1]))
        {
            return true;
        }

        return end >= 4 && w[(end - 4)..end].SequenceEqual("past");
    }

    private static int Replace(Span<char> w, int start, string replacement)
    {
        replacement.CopyTo(w[start..]);
        return start + replacement.Length;
    }

    // 'Y' (a consonantal y marked in the prelude) is deliberately not a vowel.
    private static readonly SearchValues<char> VowelSet = SearchValues.Create("aeiouy");

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
}
