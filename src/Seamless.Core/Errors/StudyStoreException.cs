namespace Seamless.Errors;

/// <summary>
/// A study store that cannot be used as given: a database server that does not answer, a wrong password, user or
/// database name. It is user input, so it is one line naming the store (never its password) and what to check.
/// </summary>
public sealed class StudyStoreException(string store, string detail, Exception? inner = null) : SeamlessException(store, detail, inner);
