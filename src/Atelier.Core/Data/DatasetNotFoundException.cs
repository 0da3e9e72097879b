namespace Atelier.Data;

/// <summary>A dataset that is not installed or cannot be opened; the message says how to fix it.</summary>
public sealed class DatasetNotFoundException(string message) : Exception(message);
