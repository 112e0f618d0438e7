using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;

namespace Portfolio.Sdk.Json;

/// <summary>
/// Finds the keys of a JSON document that its data-transfer type does not have, at every nesting level, so a loader can
/// refuse a misspelt key (<c>"window"</c> for <c>"windows"</c>) instead of silently ignoring it. Names compare without
/// case, as the loaders read them; a top-level <c>$schema</c> and a <c>$comment</c> anywhere are always accepted (as the
/// other loaders of hand-written files accept them).
/// </summary>
internal static class StrictJson
{
    /// <summary>Lists each unknown key with its JSON path (<c>school.windows[0].grade</c>).</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="type">The type the document deserialises to.</param>
    /// <returns>The unknown keys, in document order.</returns>
    public static IEnumerable<(string Key, string Path)> UnknownKeys(JsonElement root, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type) =>
        Walk(root, type, string.Empty, isRoot: true);

    private static IEnumerable<(string Key, string Path)> Walk(JsonElement element, Type type, string path, bool isRoot)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Array && ItemType(type) is { } itemType)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                foreach (var unknown in Walk(item, itemType, $"{path}[{i}]", isRoot: false))
                {
                    yield return unknown;
                }

                i++;
            }

            yield break;
        }

        if (element.ValueKind != JsonValueKind.Object || type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type == typeof(JsonElement))
        {
            yield break;
        }

        // A dictionary's keys are data (e.g. a policy's pass marks by 學制), not names: only its values are walked.
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments() is [var keyType, var valueType] && keyType == typeof(string))
        {
            foreach (var member in element.EnumerateObject())
            {
                foreach (var unknown in Walk(member.Value, valueType, path.Length == 0 ? member.Name : $"{path}.{member.Name}", isRoot: false))
                {
                    yield return unknown;
                }
            }

            yield break;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var member in element.EnumerateObject())
        {
            var childPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            if ((isRoot && member.Name == "$schema") || member.Name == "$comment")
            {
                continue;
            }

            var property = Array.Find(properties, p => string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                yield return (member.Name, childPath);
                continue;
            }

            foreach (var unknown in Walk(member.Value, property.PropertyType, childPath, isRoot: false))
            {
                yield return unknown;
            }
        }
    }

    private static Type? ItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? item
        : null;
}
