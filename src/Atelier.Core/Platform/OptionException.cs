namespace Atelier.Platform;

/// <summary>
/// A setting the user chose cannot be used; the message names the flag (or field) and what to do. The command line
/// answers it with exit code 2 and the Studio with 400. A bug's ArgumentException is not one: it is not mapped.
/// </summary>
public sealed class OptionException(string message, Exception? inner = null) : ArgumentException(message, inner);
