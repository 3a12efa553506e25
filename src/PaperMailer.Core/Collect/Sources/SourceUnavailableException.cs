namespace PaperMailer.Collect.Sources;

/// <summary>A source could not be read this run (unreachable, timing out, refusing); the message is one sentence naming source and URL.</summary>
public sealed class SourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
