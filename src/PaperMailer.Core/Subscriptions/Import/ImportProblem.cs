namespace PaperMailer.Subscriptions.Import;

/// <summary>
/// One problem in an import file: the line the record starts on (0 when it concerns the whole file, such as a file
/// that cannot be read) and what is wrong, e.g. <c>topics: "astro" is not a known topic (known: nlp, cv, rl)</c>.
/// Problems with the same text are the same kind of problem, which is how a report groups them.
/// </summary>
public readonly record struct ImportProblem(int Line, string Text);
