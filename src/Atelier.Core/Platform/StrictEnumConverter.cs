using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atelier.Platform;

/// <summary>
/// JSON for an option enum: its <see cref="EnumText"/> name, and nothing else (no numbers, no other spellings), so a
/// file with an unknown value fails to load instead of running with a default.
/// </summary>
public sealed class StrictEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"{typeof(T).Name}: expected one of {string.Join(", ", EnumText.Names<T>())}, got {reader.TokenType}");
        var text = reader.GetString()!;
        try
        {
            return EnumText.Parse<T>(text, typeof(T).Name, "value");
        }
        catch (OptionException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(EnumText.Name(value));
}
