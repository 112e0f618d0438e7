using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Courses;

/// <summary>Every parser of outside text yields diagnostics, never an exception, for any input.</summary>
public sealed class ParserPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static bool Consistent<T>(ParseOutcome<T> outcome) =>
        outcome.Success == outcome.Diagnostics.All(d => !d.IsError) && (outcome.Success || outcome.Diagnostics.Count > 0);

    // Text of the right length drawn from the characters course codes use, plus a few that they do not.
    private static Gen<string> CourseCodeLike() =>
        from chars in Gen.ArrayOf(Gen.Elements("0123456789ABCDHVXZ-a ".ToCharArray()), CourseCode.Length)
        select new string(chars);

    [Fact]
    public void CourseCode_AnyText_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), input => Consistent(CourseCode.Validate(input))).Check(Runs);
        Prop.ForAll(CourseCodeLike().ToArbitrary(), input =>
        {
            var outcome = CourseCode.Validate(input);
            if (outcome.Success)
            {
                // A valid code explains without throwing and keeps its characters.
                return outcome.Value.Explain().Count == 11 && outcome.Value.Value == input.Trim();
            }

            return Consistent(outcome);
        }).Check(Runs);
    }

    [Fact]
    public void CourseCode_SegmentsConcatenateBackToTheCode()
    {
        var valid = from cohort in Gen.Choose(100, 130)
                    from rest in Gen.ArrayOf(Gen.Elements("0123456789ABD".ToCharArray()), 20)
                    select cohort.ToString(System.Globalization.CultureInfo.InvariantCulture) + new string(rest);
        Prop.ForAll(valid.ToArbitrary(), input =>
        {
            var outcome = CourseCode.Validate(input);
            return !outcome.Success
                || string.Concat(CourseCodeSegmentInfo.Segments.Select(s => outcome.Value.Segment(s.Segment))) == input;
        }).Check(Runs);
    }

    [Fact]
    public void SchoolCode_SchoolYear_SchoolTerm_AnyText_NeverThrow()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), input =>
            Consistent(SchoolCode.Validate(input))
            && Consistent(SchoolYear.Validate(input))
            && Consistent(SchoolTerm.Validate(input))
            && Consistent(SchoolTerm.ValidateTerm(input))).Check(Runs);
    }

    [Fact]
    public void SchoolTerm_ValidTerms_RoundTripThroughText()
    {
        var terms = from year in Gen.Choose(SchoolYear.MinValue, SchoolYear.MaxValue)
                    from term in Gen.Choose(0, 2)
                    select new SchoolTerm(new SchoolYear(year), (Term)term);
        Prop.ForAll(terms.ToArbitrary(), term => SchoolTerm.Parse(term.ToString()) == term).Check(Runs);
    }

    [Fact]
    public void CodeTableCatalog_AnyBytes_NeverThrow()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var outcome = CodeTableCatalog.Load(new MemoryStream(bytes ?? []));
            return Consistent(outcome);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void CodeTableCatalog_MutatedShippedFile_NeverThrows()
    {
        var original = Encoding.UTF8.GetBytes("""
            { "tables": [ { "id": "t", "name": "T", "closed": true, "entries": [ { "code": "1", "name": "a", "from": 108 } ] } ],
              "mappings": [ { "id": "m", "from": "t", "to": "t", "rules": [ { "codes": [ "1-3" ], "value": "1" } ] } ] }
            """);
        var mutations = from position in Gen.Choose(0, original.Length - 1)
                        from value in Gen.Choose(0, 255)
                        select (position, (byte)value);
        Prop.ForAll(Gen.ArrayOf(mutations, 3).ToArbitrary(), edits =>
        {
            var copy = (byte[])original.Clone();
            foreach (var (position, value) in edits)
            {
                copy[position] = value;
            }

            return Consistent(CodeTableCatalog.Load(new MemoryStream(copy)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }
}
