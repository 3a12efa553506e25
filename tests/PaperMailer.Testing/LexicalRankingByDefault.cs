namespace PaperMailer.Testing;

/// <summary>
/// Tests rank on words alone unless they turn the semantic blend on: the blend's embedding model takes ~400 MB and a
/// second to load, and ~45 ms of CPU per paper, in every app and every papermailer process a test starts, and most
/// tests are about something else (their expected orders and explanations are the lexical ranker's). Set for the test
/// process as an environment variable, so in-process commands and the processes tests start inherit it; a test that
/// wants the blend says <c>--Ranking:Semantic=true</c> (arguments win over the environment) or sets it in its app's
/// settings. The semantic tests do, and the product's default stays on.
/// </summary>
public static class LexicalRankingByDefault
{
    public const string Variable = "Ranking__Semantic";

    /// <summary>
    /// The same for an app a test builds in its own process from settings of its own (an in-memory configuration reads
    /// no environment variable): without it every such app embedded the papers it collected, a second or more each.
    /// </summary>
    public static KeyValuePair<string, string?> Setting { get; } = new("Ranking:Semantic", "false");

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null) Environment.SetEnvironmentVariable(Variable, "false");
    }
}
