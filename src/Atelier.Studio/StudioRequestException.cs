namespace Atelier.Studio;

/// <summary>A request the Studio refuses, with the HTTP status and a message that says what to change.</summary>
public class StudioRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static StudioRequestException BadRequest(string message) => new(400, message);

    public static StudioRequestException NotFound(string message) => new(404, message);
}

