using System.Text.Json;
using System.Text.Json.Serialization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Json;

/// <summary>
/// JSON form of <see cref="NationalId"/>: the full number as a string. JSON forms are data for submission, so they
/// carry the real value; an invalid value fails with a masked message.
/// </summary>
internal sealed class NationalIdJsonConverter : JsonConverter<NationalId>
{
    public override NationalId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        var outcome = NationalId.Validate(text);
        return outcome.Success
            ? outcome.Value
            : throw new JsonException($"'{Redaction.MaskIdentifier(text)}' is not a valid national ID: {outcome.Diagnostics.First(d => d.IsError).Code}.");
    }

    public override void Write(Utf8JsonWriter writer, NationalId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>JSON form of <see cref="CourseCode"/>: the 23 characters.</summary>
internal sealed class CourseCodeJsonConverter : JsonConverter<CourseCode>
{
    public override CourseCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CourseCode.TryParse(reader.GetString(), out var code) ? code : throw new JsonException($"'{reader.GetString()}' is not a valid course code.");

    public override void Write(Utf8JsonWriter writer, CourseCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>JSON form of <see cref="SchoolCode"/>: the six characters.</summary>
internal sealed class SchoolCodeJsonConverter : JsonConverter<SchoolCode>
{
    public override SchoolCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SchoolCode.TryParse(reader.GetString(), out var code) ? code : throw new JsonException($"'{reader.GetString()}' is not a valid school code.");

    public override void Write(Utf8JsonWriter writer, SchoolCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>JSON form of <see cref="SchoolYear"/>: the ROC year as a number.</summary>
internal sealed class SchoolYearJsonConverter : JsonConverter<SchoolYear>
{
    public override SchoolYear Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var year) && year is >= SchoolYear.MinValue and <= SchoolYear.MaxValue
            ? new SchoolYear(year)
            : throw new JsonException("A school year is an ROC year number from 1 to 999.");

    public override void Write(Utf8JsonWriter writer, SchoolYear value, JsonSerializerOptions options) => writer.WriteNumberValue(value.RocYear);
}
