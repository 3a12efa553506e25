namespace PaperMailer.Configuration;

/// <summary>
/// A setting or a resource the program needs (the database, a file) is unusable. The message is the one sentence
/// the operator sees: it names the key or the file and says what to do.
/// </summary>
public sealed class CannotStartException(string message, Exception? innerException = null) : Exception(message, innerException);
