using System.Data.Common;
using System.Globalization;

namespace Portfolio.Sdk.Sis.Reading;

/// <summary>What a <see cref="SisCell"/> holds.</summary>
internal enum SisCellKind
{
    /// <summary>SQL NULL.</summary>
    Null = 0,

    /// <summary>A string.</summary>
    Text,

    /// <summary>A decimal (NUMERIC, DECIMAL).</summary>
    Decimal,

    /// <summary>An integer of any width up to 64 bits, signed (TINYINT unsigned as a byte).</summary>
    Integer,

    /// <summary>A double (FLOAT, DOUBLE PRECISION, SQLite REAL).</summary>
    Double,

    /// <summary>A date and time (DATE, DATETIME, TIMESTAMP).</summary>
    DateTime,

    /// <summary>Any other type, boxed as the provider gives it.</summary>
    Other,
}

/// <summary>
/// One value of a SIS row, read with the provider's typed getter for the column's type (<c>GetString</c>,
/// <c>GetDecimal</c>, <c>GetInt32</c> …), so that numbers and dates are not boxed; types without a typed getter here
/// come boxed from <c>GetValue</c>. Holds what <c>GetValue</c> would have returned, unboxed.
/// </summary>
internal readonly record struct SisCell(SisCellKind Kind, string? Text = null, decimal Decimal = 0, long Integer = 0, double Double = 0, DateTime DateTime = default, object? Other = null)
{
    public bool IsNull => Kind == SisCellKind.Null;

    public static SisCell Read(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return default;
        }

        var type = reader.GetFieldType(ordinal);
        if (type == typeof(string))
        {
            return new(SisCellKind.Text, Text: reader.GetString(ordinal));
        }

        if (type == typeof(decimal))
        {
            return new(SisCellKind.Decimal, Decimal: reader.GetDecimal(ordinal));
        }

        if (type == typeof(int))
        {
            return new(SisCellKind.Integer, Integer: reader.GetInt32(ordinal));
        }

        if (type == typeof(long))
        {
            return new(SisCellKind.Integer, Integer: reader.GetInt64(ordinal));
        }

        if (type == typeof(short))
        {
            return new(SisCellKind.Integer, Integer: reader.GetInt16(ordinal));
        }

        if (type == typeof(byte))
        {
            return new(SisCellKind.Integer, Integer: reader.GetByte(ordinal));
        }

        if (type == typeof(double))
        {
            return new(SisCellKind.Double, Double: reader.GetDouble(ordinal));
        }

        if (type == typeof(DateTime))
        {
            return new(SisCellKind.DateTime, DateTime: reader.GetDateTime(ordinal));
        }

        return FromObject(reader.GetValue(ordinal));
    }

    /// <summary>A cell from a boxed value (DBNull and null are SQL NULL).</summary>
    public static SisCell FromObject(object? value) => value switch
    {
        null or DBNull => default,
        string s => new(SisCellKind.Text, Text: s),
        decimal d => new(SisCellKind.Decimal, Decimal: d),
        int i => new(SisCellKind.Integer, Integer: i),
        long l => new(SisCellKind.Integer, Integer: l),
        short s => new(SisCellKind.Integer, Integer: s),
        byte b => new(SisCellKind.Integer, Integer: b),
        double d => new(SisCellKind.Double, Double: d),
        DateTime t => new(SisCellKind.DateTime, DateTime: t),
        _ => new(SisCellKind.Other, Other: value),
    };

    /// <summary>The value as text, as the SIS holds it: strings trimmed, numbers and dates in the invariant culture.</summary>
    public string? ToText() => Kind switch
    {
        SisCellKind.Null => null,
        SisCellKind.Text => Text!.Trim(),
        SisCellKind.Decimal => Decimal.ToString(CultureInfo.InvariantCulture),
        SisCellKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        SisCellKind.Double => Double.ToString(CultureInfo.InvariantCulture),
        SisCellKind.DateTime => DateTime.ToString(CultureInfo.InvariantCulture),
        _ => Other switch
        {
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other?.ToString()?.Trim(),
        },
    };
}
