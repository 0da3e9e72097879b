using System.Reflection;
using System.Text.Json.Serialization;

namespace Atelier.Platform;

/// <summary>
/// The text names of Atelier's option enums: each member's <see cref="JsonStringEnumMemberNameAttribute"/> (kebab-case,
/// as options.json, checkpoints and the command line spell them). One table for parsing flags, listing choices and JSON.
/// </summary>
public static class EnumText
{
    /// <summary>The names of every member, in declaration order.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Table<T>.Names;

    /// <summary>The name of one member.</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        Table<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(T).Name}");

    /// <summary>The member named <paramref name="text"/>; anything else fails naming <paramref name="flag"/> and the choices.</summary>
    public static T Parse<T>(string text, string flag, string what) where T : struct, Enum =>
        Table<T>.ByName.TryGetValue(text, out var value) ? value
        : throw new OptionException($"{flag}: unknown {what} '{text}'; choose one of {string.Join(", ", Table<T>.Names)}.");

    private static class Table<T> where T : struct, Enum
    {
        public static readonly IReadOnlyList<string> Names;
        public static readonly Dictionary<string, T> ByName = new(StringComparer.Ordinal);
        public static readonly Dictionary<T, string> ByValue = [];

        static Table()
        {
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{typeof(T).Name}.{field.Name} has no JsonStringEnumMemberName");
                var value = (T)field.GetValue(null)!;
                ByName.Add(name, value);
                ByValue.Add(value, name);
            }
            Names = [.. ByName.Keys];
        }
    }
}
