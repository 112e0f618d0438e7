using System.ComponentModel;
using System.Globalization;

namespace Portfolio.Sdk.Data;

/// <summary>
/// Converts a dialect's name (<c>postgresql</c>, <c>sqlserver</c>, <c>oracle</c>, <c>mysql</c>, <c>sqlite</c>) to a
/// <see cref="SqlDialect"/> and back, so that a dialect binds from configuration (<c>"Dialect": "postgresql"</c>).
/// </summary>
public sealed class SqlDialectConverter : TypeConverter
{
    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    /// <inheritdoc />
    /// <exception cref="FormatException">The name is not a known dialect.</exception>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string name)
        {
            return SqlDialect.TryGet(name, out var dialect)
                ? dialect
                : throw new FormatException($"'{name}' is not a SQL dialect (oracle, sqlserver, postgresql, mysql, sqlite).");
        }

        return base.ConvertFrom(context, culture, value);
    }

    /// <inheritdoc />
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is SqlDialect dialect ? dialect.Name : base.ConvertTo(context, culture, value, destinationType);
}
