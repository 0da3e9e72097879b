using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Atelier.Training;

/// <summary>
/// Writes <see cref="TrainingOptions"/> as one flat JSON object, the parts' properties side by side with the run's own
/// (as options.json, checkpoint manifests and sample PNGs have always held them), and reads it back into the parts.
/// The model stays the nested "model" object it always was. Registered in <see cref="Runs.RunFolder.Json"/>.
/// </summary>
public sealed class TrainingOptionsJson : JsonConverter<TrainingOptions>
{
    private static readonly string[] Parts =
    [
        nameof(TrainingOptions.Game), nameof(TrainingOptions.Optimization), nameof(TrainingOptions.Augmentation),
        nameof(TrainingOptions.Evaluation), nameof(TrainingOptions.Schedule),
    ];

    private static readonly ConditionalWeakTable<JsonSerializerOptions, Layout> Layouts = [];

    /// <inheritdoc/>
    public override TrainingOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var layout = LayoutOf(options);
        if (JsonNode.Parse(ref reader) is not JsonObject flat) throw new JsonException("training options: expected a JSON object");
        var nested = new JsonObject();
        foreach (var (key, value) in flat.ToList())
        {
            flat.Remove(key);
            if (layout.PartOf.TryGetValue(key, out var part))
                ((JsonObject)(nested[part] ??= new JsonObject())).Add(key, value);
            else if (layout.PartNames.Contains(key))
                throw new JsonException($"training options: '{key}' is a part's name, not a property of the flat form");
            else
                nested.Add(key, value);
        }
        return nested.Deserialize<TrainingOptions>(layout.Inner) ?? throw new JsonException("training options: null");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TrainingOptions value, JsonSerializerOptions options)
    {
        var layout = LayoutOf(options);
        var nested = JsonSerializer.SerializeToNode(value, layout.Inner)!.AsObject();
        var flat = new JsonObject();
        foreach (var (key, node) in nested.ToList())
        {
            nested.Remove(key);
            if (!layout.PartNames.Contains(key)) flat.Add(key, node);
            else if (node is JsonObject part)
                foreach (var (inner, v) in part.ToList())
                {
                    part.Remove(inner);
                    flat.Add(inner, v);
                }
        }
        flat.WriteTo(writer, options);
    }

    private static Layout LayoutOf(JsonSerializerOptions options) => Layouts.GetValue(options, o => new Layout(o));

    /// <summary>The serializer options without this converter (the nested form), and which part each flat key belongs to.</summary>
    private sealed class Layout
    {
        public Layout(JsonSerializerOptions outer)
        {
            Inner = new JsonSerializerOptions(outer);
            for (int i = Inner.Converters.Count - 1; i >= 0; i--)
                if (Inner.Converters[i] is TrainingOptionsJson) Inner.Converters.RemoveAt(i);
            Inner.MakeReadOnly(populateMissingResolver: true);
            var top = Inner.GetTypeInfo(typeof(TrainingOptions));
            foreach (var property in top.Properties)
            {
                if (!Parts.Contains(property.AttributeProvider is System.Reflection.MemberInfo m ? m.Name : "")) continue;
                PartNames.Add(property.Name);
                foreach (var inner in Inner.GetTypeInfo(property.PropertyType).Properties)
                {
                    if (!PartOf.TryAdd(inner.Name, property.Name) || top.Properties.Any(p => p.Name == inner.Name))
                        throw new InvalidOperationException($"training options: '{inner.Name}' is in two places; the flat JSON form needs unique names");
                }
            }
        }

        public JsonSerializerOptions Inner { get; }

        public HashSet<string> PartNames { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> PartOf { get; } = new(StringComparer.Ordinal);
    }
}
