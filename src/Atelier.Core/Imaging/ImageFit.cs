using System.Text.Json.Serialization;

namespace Atelier.Imaging;

/// <summary>How a non-square image becomes a square canvas (JSON: the member name, as options.json has always written it).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageFit>))]
public enum ImageFit
{
    /// <summary>Scale the short side to the canvas and cut the centre.</summary>
    CenterCrop,

    /// <summary>Scale the long side to the canvas and pad with the background colour.</summary>
    Letterbox,

    /// <summary>Scale both sides independently (distorts).</summary>
    Stretch,
}
