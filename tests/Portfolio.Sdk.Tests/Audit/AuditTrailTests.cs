using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Tests.Infrastructure;

namespace Portfolio.Sdk.Tests.Audit;

public sealed class AuditTrailTests
{
    private static List<AuditEntry> Trail(int count)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 9, 1, 8, 0, 0, TimeSpan.FromHours(8)));
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(3));
            entries.Add(AuditTrail.Next(entries.LastOrDefault(), clock, $"t{i % 3}", "course-outcome.certify", "course-outcome", $"id-{i}", $"{{\"state\":\"pending\",\"n\":{i}}}", $"{{\"state\":\"certified\",\"n\":{i}}}"));
        }

        return entries;
    }

    [Fact]
    public void IntactTrail_Verifies()
    {
        var trail = Trail(20);

        AuditTrail.Verify(trail).ShouldBeEmpty();
        trail[0].PreviousHash.ShouldBe(AuditTrail.GenesisHash);
        trail[1].PreviousHash.ShouldBe(trail[0].Hash);
        trail.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, 20).Select(i => (long)i));
    }

    [Fact]
    public void AnyAlteredField_BreaksTheChainAtThatEntry()
    {
        var trail = Trail(10);
        AuditEntry[] tampered =
        [
            trail[4] with { After = "{\"state\":\"rejected\"}" },
            trail[4] with { ActorId = "someone-else" },
            trail[4] with { At = trail[4].At.AddSeconds(1) },
            trail[4] with { Before = null },
        ];

        foreach (var entry in tampered)
        {
            var copy = trail.ToList();
            copy[4] = entry;
            var problem = AuditTrail.Verify(copy).Single();
            problem.Code.ShouldBe(DiagnosticCodes.AuditChainBroken);
            problem.Location!.Row.ShouldBe(5);
        }
    }

    [Fact]
    public void RehashingAnAlteredEntry_StillBreaksTheNextLink()
    {
        var trail = Trail(10);
        var forged = trail[4] with { After = "{\"state\":\"rejected\"}" };
        trail[4] = forged with { Hash = AuditTrail.HashOf(forged) };

        AuditTrail.Verify(trail).Single().Location!.Row.ShouldBe(6);
    }

    [Fact]
    public void RemovedOrReorderedEntries_AreFound()
    {
        var removed = Trail(10);
        removed.RemoveAt(3);
        var swapped = Trail(10);
        (swapped[2], swapped[3]) = (swapped[3], swapped[2]);

        AuditTrail.Verify(removed).Select(d => d.Code).ShouldBe([DiagnosticCodes.AuditSequenceGap, DiagnosticCodes.AuditChainBroken]);
        AuditTrail.Verify(swapped).ShouldNotBeEmpty();
    }

    [Fact]
    public void DifferentFieldsWithTheSameConcatenation_HashDifferently()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var a = AuditTrail.Next(null, clock, "ab", "c", "t", "1", null, null);
        var b = AuditTrail.Next(null, clock, "a", "bc", "t", "1", null, null);

        a.Hash.ShouldNotBe(b.Hash);
        AuditTrail.Next(null, clock, "a", "x", "t", "1", null, "").Hash.ShouldNotBe(AuditTrail.Next(null, clock, "a", "x", "t", "1", "", null).Hash);
    }

    [Fact]
    public void ToString_HidesContentsAndMasksTheActor()
    {
        var entry = Trail(1)[0] with { ActorId = "teacher-0042" };

        entry.ToString().ShouldNotContain("certified");
        entry.ToString().ShouldNotContain("teacher-0042");
    }

    [Fact]
    public void AnySingleByteChange_IsDetected()
    {
        var trail = Trail(6);
        Prop.ForAll(Gen.Choose(0, 5).ToArbitrary(), Gen.Elements("actor", "after", "entity").ToArbitrary(), (index, field) =>
        {
            var copy = trail.ToList();
            copy[index] = field switch
            {
                "actor" => copy[index] with { ActorId = copy[index].ActorId + "x" },
                "after" => copy[index] with { After = copy[index].After + " " },
                _ => copy[index] with { EntityId = copy[index].EntityId.ToUpperInvariant() },
            };
            return AuditTrail.Verify(copy).Count > 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }
}
