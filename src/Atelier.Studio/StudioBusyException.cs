namespace Atelier.Studio;

/// <summary>Too many generation requests at once: answered 503 with Retry-After.</summary>
public sealed class StudioBusyException(string message) : StudioRequestException(503, message);
