namespace Atelier.Studio;

public sealed record MetricsDigest(long Step, double? BestFid, bool Stopped);
