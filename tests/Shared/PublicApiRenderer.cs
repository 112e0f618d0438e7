using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Portfolio.Sdk.Testing;

/// <summary>
/// Renders the public surface of an assembly as stable text (PublicApiGenerator is not available on our registry).
/// Types and members are sorted; nullable reference annotations are kept, so a nullability change is an API change.
/// </summary>
public static class PublicApiRenderer
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Render(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var context = new NullabilityInfoContext();
        var sb = new StringBuilder();
        foreach (var group in assembly.GetExportedTypes().GroupBy(t => t.Namespace ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append("namespace ").AppendLine(group.Key);
            foreach (var type in group.OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                sb.Append("  ").AppendLine(TypeHeader(type));
                foreach (var line in Members(type, context).Order(StringComparer.Ordinal))
                {
                    sb.Append("    ").AppendLine(line);
                }
            }

            sb.AppendLine();
        }

        return sb.ToString().ReplaceLineEndings("\n");
    }

    private static string TypeHeader(Type type)
    {
        var name = TypeName(type, null);
        if (type.IsEnum)
        {
            return $"public enum {name} : {TypeName(Enum.GetUnderlyingType(type), null)}";
        }

        if (typeof(Delegate).IsAssignableFrom(type) && type != typeof(Delegate))
        {
            var invoke = type.GetMethod("Invoke")!;
            return $"public delegate {TypeName(invoke.ReturnType, null)} {name}({string.Join(", ", invoke.GetParameters().Select(p => TypeName(p.ParameterType, null)))})";
        }

        string kind;
        if (type.IsInterface)
        {
            kind = "interface";
        }
        else if (type.IsValueType)
        {
            kind = (type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : string.Empty) + (IsRecord(type) ? "record struct" : "struct");
        }
        else
        {
            var modifier = type is { IsAbstract: true, IsSealed: true } ? "static " : type.IsSealed ? "sealed " : type.IsAbstract ? "abstract " : string.Empty;
            kind = modifier + (IsRecord(type) ? "record" : "class");
        }

        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType))
        {
            bases.Add(TypeName(baseType, null));
        }

        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i)).Select(i => TypeName(i, null)).Order(StringComparer.Ordinal));
        return $"public {kind} {name}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty);
    }

    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$") is not null
        || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    private static IEnumerable<string> Members(Type type, NullabilityInfoContext context)
    {
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (var member in type.GetMembers(Declared))
        {
            if (member.Name.StartsWith('<') || member.IsDefined(typeof(CompilerGeneratedAttribute)) && member is MethodInfo)
            {
                continue;
            }

            switch (member)
            {
                case ConstructorInfo ctor when !type.IsAbstract || ctor.IsFamily || ctor.IsPublic:
                    yield return $"public {TypeName(type, null).Split('<')[0]}({Parameters(ctor, context)});";
                    break;
                case MethodInfo method when !method.IsSpecialName || method.Name.StartsWith("op_", StringComparison.Ordinal):
                    yield return Method(method, context);
                    break;
                case PropertyInfo property:
                    yield return Property(property, context);
                    break;
                case FieldInfo field:
                    yield return Field(field, context);
                    break;
                case EventInfo e:
                    yield return $"public event {TypeName(e.EventHandlerType!, null)} {e.Name};";
                    break;
                case Type nested:
                    yield return $"nested {TypeHeader(nested)}";
                    break;
            }
        }
    }

    private static string Method(MethodInfo method, NullabilityInfoContext context)
    {
        var modifiers = method.IsStatic ? "static " : method.IsAbstract && !method.DeclaringType!.IsInterface ? "abstract " : method.IsVirtual && !method.IsFinal && method.GetBaseDefinition() == method ? "virtual " : method.GetBaseDefinition() != method ? "override " : string.Empty;
        var generic = method.IsGenericMethod ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;
        var returns = TypeName(method.ReturnType, method.ReturnType == typeof(void) ? null : context.Create(method.ReturnParameter));
        return $"public {modifiers}{returns} {method.Name}{generic}({Parameters(method, context)});";
    }

    private static string Property(PropertyInfo property, NullabilityInfoContext context)
    {
        var accessor = property.GetMethod ?? property.SetMethod!;
        var modifiers = accessor.IsStatic ? "static " : string.Empty;
        var indexParameters = property.GetIndexParameters();
        var name = indexParameters.Length > 0
            ? "this[" + string.Join(", ", indexParameters.Select(p => $"{TypeName(p.ParameterType, context.Create(p))} {p.Name}")) + "]"
            : property.Name;
        var parts = new List<string>();
        if (property.GetMethod is { IsPublic: true })
        {
            parts.Add("get;");
        }

        if (property.SetMethod is { IsPublic: true } setter)
        {
            var isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
            parts.Add(isInit ? "init;" : "set;");
        }

        return $"public {modifiers}{TypeName(property.PropertyType, context.Create(property))} {name} {{ {string.Join(" ", parts)} }}";
    }

    private static string Field(FieldInfo field, NullabilityInfoContext context)
    {
        if (field.IsLiteral)
        {
            var value = field.GetRawConstantValue();
            var literal = value is string s ? $"\"{s}\"" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            return $"public const {TypeName(field.FieldType, null)} {field.Name} = {literal};";
        }

        var modifiers = (field.IsStatic ? "static " : string.Empty) + (field.IsInitOnly ? "readonly " : string.Empty);
        return $"public {modifiers}{TypeName(field.FieldType, context.Create(field))} {field.Name};";
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext context) =>
        string.Join(", ", method.GetParameters().Select(p =>
        {
            var prefix = p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : string.Empty;
            var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            var text = $"{prefix}{TypeName(type, context.Create(p))} {p.Name}";
            if (p.HasDefaultValue)
            {
                text += " = " + (p.DefaultValue switch
                {
                    null => "null",
                    string s => $"\"{s}\"",
                    bool b => b ? "true" : "false",
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
                });
            }

            return text;
        }));

    private static string TypeName(Type type, NullabilityInfo? nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, nullability?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        var suffix = !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? "?" : string.Empty;
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType) + "[]" + suffix;
        }

        if (type.IsGenericParameter)
        {
            return type.Name + suffix;
        }

        var name = type.IsNested ? TypeName(type.DeclaringType!, null) + "." + type.Name : type.FullName ?? type.Name;
        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            var infos = nullability?.GenericTypeArguments;
            name = name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", arguments.Select((a, i) => TypeName(a, infos is { Length: > 0 } && i < infos.Length ? infos[i] : null))) + ">";
        }

        return name + suffix;
    }
}
