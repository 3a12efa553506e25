namespace PaperMailer.Rank;

/// <summary>
/// Finds and scores the papers of an index that match one keyword: BM25F of each of its words (title weighted above
/// abstract), summed, then multiplied by a phrase bonus when the words stand together somewhere, a smaller proximity
/// bonus when they are within <see cref="RankingOptions.ProximityWindow"/> words of each other, and a partial-match
/// factor when only some of the words occur. A quoted phrase, and a preset topic's keyword, count only where their
/// words stand together. The
/// keyword's other forms count as the keyword: its closed compound, and acronym/expansion pairs the papers define.
/// A paper's own definition of an acronym decides what the letters mean in that paper: an expansion keyword does not
/// match the acronym in a paper that defines it as something else, and an acronym keyword can be narrowed to some of
/// its meanings (see <see cref="AcronymSenses"/>).
/// </summary>
internal static class KeywordMatcher
{
    private sealed record Variant(int[] TermIds, bool RequireAdjacent, bool IsAlternate)
    {
        public bool AllowPartial => !RequireAdjacent && !IsAlternate && TermIds.Length > 1;

        /// <summary>When set, a paper that defines this acronym counts only if one of its definitions is in <see cref="Meant"/>.</summary>
        public string? DefinedAcronym { get; init; }

        public IReadOnlySet<string>? Meant { get; init; }

        public bool AgreesWith(AcronymTable acronyms, int paper) =>
            DefinedAcronym is null || acronyms.DefinitionsIn(paper, DefinedAcronym) is not { } defined || defined.Overlaps(Meant!);
    }

    private readonly record struct Evidence(double Raw, bool InTitle, bool InAbstract, List<HighlightSpan> TitleSpans, List<HighlightSpan> AbstractSpans, bool Partial, ulong Present);

    /// <summary>
    /// The keyword's matches; with <paramref name="meant"/>, those of a one-word acronym keyword when only these of
    /// its meanings count (expansions, terms joined by spaces).
    /// </summary>
    public static KeywordPostings Match(PaperIndex index, ProfileTerm keyword, RankingOptions options, IReadOnlySet<string>? meant = null)
    {
        var variants = Variants(index, keyword, meant);
        var best = new SortedDictionary<int, (Evidence Evidence, Variant Variant)>();
        foreach (var variant in variants)
        {
            foreach (var paper in Candidates(index, variant.TermIds, variant.AllowPartial))
            {
                if (!variant.AgreesWith(index.Acronyms, paper)) continue;
                if (Evaluate(index, index.Papers[paper], variant, options) is not { } evidence) continue;
                if (!best.TryGetValue(paper, out var current) || Better(evidence, current.Evidence)) best[paper] = (evidence, variant);
            }
        }
        if (best.Count == 0) return KeywordPostings.None;
        var papers = new int[best.Count];
        var scores = new float[best.Count];
        var matches = new KeywordMatch[best.Count];
        var i = 0;
        foreach (var (paper, (evidence, variant)) in best)
        {
            papers[i] = paper;
            scores[i] = (float)evidence.Raw;
            matches[i] = new KeywordMatch(keyword.Text, evidence.InTitle, evidence.InAbstract, evidence.TitleSpans, evidence.AbstractSpans,
                variant.IsAlternate ? SurfaceText(index.Papers[paper], evidence) : null) { Partial = evidence.Partial, PresentTerms = evidence.Present };
            i++;
        }
        var meanings = keyword.Terms.Count == 1 ? index.Acronyms.ExpansionsByAcronym.GetValueOrDefault(keyword.Terms[0]) : null;
        return new KeywordPostings(papers, scores, matches, index.Papers.Count)
        {
            // Only an acronym with several meanings can be narrowed; the narrowed matches themselves are final.
            Senses = meant is null && meanings is { Count: > 1 and < AcronymSenses.MaxMeanings } ? new AcronymSenses(meanings) : null,
        };
    }

    /// <summary>A whole match (of any form of the keyword) over a partial one, then the higher score.</summary>
    private static bool Better(Evidence candidate, Evidence current) =>
        candidate.Partial != current.Partial ? !candidate.Partial : candidate.Raw > current.Raw;

    private static List<Variant> Variants(PaperIndex index, ProfileTerm keyword, IReadOnlySet<string>? meant)
    {
        var variants = new List<Variant>();
        void Add(IEnumerable<string> terms, bool adjacent, bool alternate, string? definedAcronym = null, IReadOnlySet<string>? meanings = null)
        {
            var ids = terms.Select(index.TermId).ToArray();
            if (ids.Length > 0 && ids.All(id => id >= 0)) variants.Add(new Variant(ids, adjacent, alternate) { DefinedAcronym = definedAcronym, Meant = meanings });
        }
        // A preset topic's keyword counts, like a quoted phrase, only where its words stand together (ProfileTerm.Preset).
        Add(keyword.Terms, keyword.Exact || keyword.Preset, alternate: false, meant is null ? null : keyword.Terms[0], meant);
        if (keyword.Compound is { } compound && keyword.Terms.Count > 1) Add([compound], adjacent: false, alternate: true);
        if (keyword.Terms.Count > 1)
        {
            // The acronym stands for this keyword only in papers that do not define it as something else.
            var expansion = new HashSet<string>([string.Join(' ', keyword.Terms)], StringComparer.Ordinal);
            foreach (var acronym in index.Acronyms.AcronymsFor(keyword.Terms)) Add([acronym], adjacent: false, alternate: true, acronym, expansion);
        }
        else if (index.Acronyms.ExpansionsByAcronym.GetValueOrDefault(keyword.Terms[0]) is { } expansions)
        {
            foreach (var expansion in expansions)
            {
                if (meant is null || meant.Contains(expansion)) Add(expansion.Split(' '), adjacent: true, alternate: true);
            }
        }
        return variants;
    }

    private static IEnumerable<int> Candidates(PaperIndex index, int[] termIds, bool any)
    {
        var lists = termIds.Distinct().Select(index.PapersWith).OrderBy(l => l.Count).ToList();
        return any
            ? lists.SelectMany(l => l).Distinct().Order()
            : lists[0].Where(paper => lists.Skip(1).All(l => BinarySearch(l, paper)));
    }

    private static bool BinarySearch(IReadOnlyList<int> list, int value)
    {
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid] == value) return true;
            if (list[mid] < value) lo = mid + 1; else hi = mid - 1;
        }
        return false;
    }

    private static Evidence? Evaluate(PaperIndex index, IndexedPaper paper, Variant variant, RankingOptions options)
    {
        var title = Scan(paper.Title, variant.TermIds);
        var body = Scan(paper.Abstract, variant.TermIds);
        var together = title.Adjacent.Count + body.Adjacent.Count > 0;
        if (variant.RequireAdjacent && !together) return null;
        var titleNorm = 1 - options.B + options.B * paper.Title.Length / index.AverageTitleLength;
        var bodyNorm = 1 - options.B + options.B * paper.Abstract.Length / index.AverageAbstractLength;
        double sum = 0;
        var present = 0;
        var presentTerms = 0UL;
        for (var t = 0; t < variant.TermIds.Length; t++)
        {
            if (title.Frequency[t] + body.Frequency[t] == 0) continue;
            present++;
            if (t < 64) presentTerms |= 1UL << t;
            var pseudo = options.TitleWeight * title.Frequency[t] / titleNorm + body.Frequency[t] / bodyNorm;
            sum += index.InverseDocumentFrequency(index.PapersWith(variant.TermIds[t]).Count) * pseudo * (options.K1 + 1) / (pseudo + options.K1);
        }
        if (present == 0) return null;
        var factor = present < variant.TermIds.Length ? options.PartialFactor
            : variant.TermIds.Length == 1 ? 1
            : together ? 1 + options.PhraseBonus
            : Math.Min(title.Window, body.Window) <= options.ProximityWindow ? 1 + options.ProximityBonus
            : 1;
        var (titleSpans, bodySpans) = together ? (title.Adjacent, body.Adjacent) : (title.Words, body.Words);
        return new Evidence(sum * factor, titleSpans.Count > 0, bodySpans.Count > 0, titleSpans, bodySpans, present < variant.TermIds.Length, presentTerms);
    }

    private sealed record FieldScan(List<HighlightSpan> Adjacent, List<HighlightSpan> Words, int[] Frequency, int Window);

    private static FieldScan Scan(FieldTerms field, int[] termIds)
    {
        var entries = new List<int>[termIds.Length];
        for (var t = 0; t < termIds.Length; t++) entries[t] = [];
        for (var e = 0; e < field.TermIds.Length; e++)
        {
            for (var t = 0; t < termIds.Length; t++)
            {
                if (field.TermIds[e] == termIds[t]) entries[t].Add(e);
            }
        }
        var frequency = entries.Select(l => l.Count).ToArray();
        var words = entries.SelectMany(l => l).Distinct().Order().Select(e => new HighlightSpan(field.Starts[e], field.Lengths[e])).ToList();
        if (frequency.Min() == 0) return new FieldScan([], words, frequency, int.MaxValue);

        var adjacent = new List<HighlightSpan>();
        var window = int.MaxValue;
        foreach (var first in entries[0])
        {
            var position = field.Positions[first];
            var last = first;
            var together = true;
            var widest = 0;
            for (var t = 1; t < termIds.Length; t++)
            {
                var at = entries[t].FindIndex(e => field.Positions[e] == position + t);
                if (at < 0) together = false; else last = entries[t][at];
                widest = Math.Max(widest, entries[t].Min(e => Math.Abs(field.Positions[e] - position)));
            }
            window = Math.Min(window, widest);
            if (together) adjacent.Add(new HighlightSpan(field.Starts[first], field.Starts[last] + field.Lengths[last] - field.Starts[first]));
        }
        return new FieldScan(adjacent, words, frequency, window);
    }

    private static string? SurfaceText(IndexedPaper paper, Evidence evidence)
    {
        var (text, span) = evidence.TitleSpans.Count > 0 ? (paper.Paper.Title, evidence.TitleSpans[0]) : (paper.Paper.Abstract, evidence.AbstractSpans.FirstOrDefault());
        return span.Length == 0 ? null : text.Substring(span.Start, span.Length);
    }
}
