using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Tests.Infrastructure;

namespace Portfolio.Sdk.Tests.Identity;

public sealed class NationalIdPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static Gen<string> FirstNine() =>
        from letter in Gen.Elements(ReferenceIds.FirstLetters.ToArray())
        from second in Gen.Elements('1', '2', '8', '9', 'A', 'B', 'C', 'D')
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), 7)
        select letter + second.ToString() + string.Concat(digits);

    [Fact]
    public void Validate_RandomText_NeverThrowsAndFailsOnlyWithErrors()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), input =>
        {
            var outcome = NationalId.Validate(input);
            return outcome.Success == outcome.Diagnostics.All(d => !d.IsError)
                && (outcome.Success || outcome.Diagnostics.Count > 0);
        }).Check(Runs);
    }

    [Fact]
    public void Validate_RandomTenCharacterText_AgreesWithTheReferenceChecksum()
    {
        var candidates = from first in FirstNine() from last in Gen.Choose(0, 9) select first + last;
        Prop.ForAll(candidates.ToArbitrary(), input =>
            NationalId.Validate(input).Success == ReferenceIds.ChecksumHolds(input)).Check(Runs);
    }

    [Fact]
    public void Validate_ValidIds_RoundTripThroughTheUnmaskedFormat()
    {
        Prop.ForAll(FirstNine().Select(ReferenceIds.Complete).ToArbitrary(), input =>
        {
            var id = NationalId.Parse(input);
            return id.ToString("U", null) == input
                && NationalId.Parse(id.Value) == id
                && id.ToString() != input
                && id.ToString().Length == input.Length;
        }).Check(Runs);
    }

    [Fact]
    public void Validate_AnyOtherLastDigit_IsRejected()
    {
        var gen = from first in FirstNine() from delta in Gen.Choose(1, 9) select (first, delta);
        Prop.ForAll(gen.ToArbitrary(), pair =>
        {
            var valid = ReferenceIds.Complete(pair.first);
            var wrong = pair.first + (char)('0' + ((valid[9] - '0' + pair.delta) % 10));
            return !NationalId.Validate(wrong).Success;
        }).Check(Runs);
    }
}
