using Microsoft.Extensions.Options;
using PaperMailer.Domain;
using PaperMailer.Rank;
using PaperMailer.Tests.Support;

namespace PaperMailer.Tests.Rank;

/// <summary>
/// The same letters defined differently by two papers ("ASR": automatic speech recognition, attack success rate):
/// a paper's own definition decides whether it matches a profile's acronym or expansion.
/// </summary>
public class AcronymMeaningTests
{
    private const string DefinesSpeech = "2601.00001";
    private const string DefinesAttack = "2601.00002";
    private const string UsesUndefined = "2601.00003";
    private const string SaysAttackInFull = "2601.00004";
    private const string SaysSpeechInFull = "2601.00005";

    private static readonly PaperRanker Ranker = new(Options.Create(new RankingOptions { MinScore = 0 }));

    private static readonly Paper[] Papers =
    [
        SamplePapers.Make(DefinesSpeech, "Streaming transcription on phones", "Automatic speech recognition (ASR) turns meetings into text. Our ASR runs offline."),
        SamplePapers.Make(DefinesAttack, "Measuring jailbreak cost", "We report the attack success rate (ASR) of prompts. ASR rises with the query budget."),
        SamplePapers.Make(UsesUndefined, "Noisy ASR in call centres", "Errors of ASR on telephone audio."),
        SamplePapers.Make(SaysAttackInFull, "Red teaming chat models", "A high attack success rate shows weak defences."),
        SamplePapers.Make(SaysSpeechInFull, "Voice assistants for the home", "Automatic speech recognition for voice assistants."),
        SamplePapers.Make("2601.00006", "Protein folding with transformers", "Structures predicted from sequences."),
        SamplePapers.Make("2601.00007", "Weather forecasting at scale", "Global models of the atmosphere."),
    ];

    private static List<string> Rank(PaperIndex index, string profile) =>
        Ranker.Rank(index, ProfileParser.Parse(profile), 50).Select(r => r.Paper.Id).ToList();

    [Fact]
    public void An_acronym_keyword_counts_in_a_paper_that_defines_it_only_with_the_meaning_the_profile_shows()
    {
        var index = PaperIndex.Build(Papers);

        var speech = Rank(index, "speech recognition, ASR");
        var attack = Rank(index, "adversarial attack, ASR");

        Assert.Contains(DefinesSpeech, speech);
        Assert.Contains(UsesUndefined, speech);
        Assert.Contains(SaysSpeechInFull, speech);
        Assert.DoesNotContain(DefinesAttack, speech);
        Assert.DoesNotContain(SaysAttackInFull, speech);

        Assert.Contains(DefinesAttack, attack);
        Assert.Contains(UsesUndefined, attack);
        Assert.Contains(SaysAttackInFull, attack);
        Assert.DoesNotContain(DefinesSpeech, attack);
        Assert.DoesNotContain(SaysSpeechInFull, attack);
    }

    [Fact]
    public void An_expansion_keyword_does_not_match_the_acronym_in_a_paper_that_defines_it_as_something_else()
    {
        var index = PaperIndex.Build(Papers);

        var speech = Rank(index, "automatic speech recognition");
        var attack = Rank(index, "attack success rate");

        Assert.Equal([DefinesSpeech, UsesUndefined, SaysSpeechInFull], speech.Order(StringComparer.Ordinal));
        Assert.Equal([DefinesAttack, UsesUndefined, SaysAttackInFull], attack.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_ambiguous_acronym_with_nothing_in_the_profile_to_tell_its_meaning_keeps_every_meaning()
    {
        var index = PaperIndex.Build(Papers);

        var found = Rank(index, "ASR");

        Assert.Contains(DefinesSpeech, found);
        Assert.Contains(DefinesAttack, found);
        Assert.Contains(UsesUndefined, found);
    }

    [Fact]
    public void An_acronym_with_one_meaning_across_the_papers_keeps_matching_whatever_the_profile_says()
    {
        var index = PaperIndex.Build(Papers.Where(p => p.Id != DefinesAttack));

        var ranked = Rank(index, "jailbreak, ASR");

        Assert.Contains(DefinesSpeech, ranked);
        Assert.Contains(SaysSpeechInFull, ranked);
        Assert.Contains(UsesUndefined, ranked);
    }
}
