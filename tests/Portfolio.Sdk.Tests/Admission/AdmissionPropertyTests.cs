using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Testing;
using static Portfolio.Sdk.Tests.Admission.AdmissionTestData;

namespace Portfolio.Sdk.Tests.Admission;

/// <summary>Properties of the assessment (the account, the counts, the caps against a brute force) and of the rules loader.</summary>
public sealed class AdmissionPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static Gen<AdmissionItem> AnyItem() =>
        from outcome in ArbMap.Default.GeneratorFor<bool>()
        from attribute in Gen.Elements(Attributes)
        from category in Gen.Elements(Categories)
        from year in Gen.Choose(108, 116)
        select outcome ? Outcome(attribute, year) : Performance(category, year);

    [Fact]
    public void EverySubmittedItem_IsPlacedOrListedUnplaced_InEveryRoute_AndCountsNeverExceedWhatExists()
    {
        var cases = from items in Gen.ListOf(AnyItem()).Select(l => l.Take(40).ToList())
                    from year in Gen.Choose(105, 120)
                    select (items, year);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (items, year) = c;
            var assessment = AdmissionPreparation.Assess(items, new SchoolYear(year));
            assessment.Items.Select(p => p.Item).ShouldBe(items);
            foreach (var route in assessment.Routes)
            {
                var unplaced = route.Unplaced.Select(u => u.Item.Id).ToHashSet();
                var placed = assessment.Items.Where(p => p.Routes.Single(r => r.RouteId == route.Route.Id).Codes.Count > 0).Select(p => p.Item.Id).ToHashSet();

                // read = placed + unplaced, disjoint; an item is unplaced exactly when it has a reason.
                (placed.Count + unplaced.Count).ShouldBe(items.Count);
                placed.Overlaps(unplaced).ShouldBeFalse();
                assessment.Items.ShouldAllBe(p => (p.Routes.Single(r => r.RouteId == route.Route.Id).Reason == null) == placed.Contains(p.Item.Id));
                route.Unplaced.ShouldAllBe(u => u.Reason.Location!.Path!.StartsWith(route.Route.Id, StringComparison.Ordinal));
                // An item submitted for the admission year or later is never placed: it is not in that year's data.
                items.Where(i => i.SubmittedFor.RocYear >= year).ShouldAllBe(i => unplaced.Contains(i.Id));
                route.Unplaced.Where(u => u.Item.SubmittedFor.RocYear >= year).ShouldAllBe(u => u.Reason.Code == DiagnosticCodes.AdmissionItemAfterYear || u.Reason.Code == DiagnosticCodes.AdmissionRulesUnknownYear);
                route.Unplaced.Where(u => u.Item.SubmittedFor.RocYear < year).ShouldAllBe(u => u.Reason.Code != DiagnosticCodes.AdmissionItemAfterYear);

                // Counts: what is under a code exists and is placed; no cap counts more than its maximum or than the student has.
                route.Codes.SelectMany(code => code.Items).ShouldAllBe(id => placed.Contains(id));
                foreach (var cap in route.Caps)
                {
                    cap.Available.ShouldBeLessThanOrEqualTo(placed.Count);
                    cap.Counted.ShouldBeLessThanOrEqualTo(cap.Cap.Max);
                    cap.Counted.ShouldBeLessThanOrEqualTo(cap.Available);
                    cap.Available.ShouldBe(route.Codes.Where(code => cap.Cap.Codes.Contains(code.Code.Code)).SelectMany(code => code.Items).Distinct().Count());
                }

                route.MostItems.ShouldBeLessThanOrEqualTo(placed.Count);
                route.MostItems.ShouldBeLessThanOrEqualTo(route.Caps.Sum(cap => cap.Cap.Max));
                route.MostItems.ShouldBe(route.Caps.Sum(cap => cap.Counted));   // in the shipped rules every item falls under one cap per route
                (route.IsKnown == (year >= 111)).ShouldBeTrue();
            }

            return true;
        }).Check(Runs);
    }

    // Rules where one item may fall under several codes of different caps: the count must be the best assignment.
    private static AdmissionRules RandomRules(int[] capOfCode, int[] maxima, bool[][] accepts)
    {
        var codes = accepts.Select((row, k) => new AdmissionItemCode($"K{k}", $"code {k}", $"code {k}", Evidence.Unknown, null, [],
            [.. row.Select((yes, j) => (yes, j)).Where(x => x.yes).Select(x => $"cat-{x.j}")])).ToList();
        var caps = maxima.Select((max, c) => new AdmissionCap($"P{c}", [.. codes.Where((_, k) => capOfCode[k] == c).Select(code => code.Code)], max, null, Evidence.Unknown, null))
            .Where(cap => cap.Codes.Count > 0).ToList();
        var edition = new AdmissionRouteEdition(new SchoolYear(113), null, new SchoolYear(113), Evidence.Unknown, null, codes, caps);
        return new AdmissionRules("random", [new AdmissionRoute("random", "隨機", "random", [edition])]);
    }

    private static int BruteForce(List<IReadOnlyList<int>> capsOfItems, IReadOnlyList<int> maxima)
    {
        var best = 0;
        var load = new int[maxima.Count];
        void Try(int item, int counted)
        {
            if (item == capsOfItems.Count)
            {
                best = Math.Max(best, counted);
                return;
            }

            Try(item + 1, counted);
            foreach (var cap in capsOfItems[item])
            {
                if (load[cap] < maxima[cap])
                {
                    load[cap]++;
                    Try(item + 1, counted + 1);
                    load[cap]--;
                }
            }
        }

        Try(0, 0);
        return best;
    }

    [Fact]
    public void MostItems_EqualsABruteForceOverEveryAssignment()
    {
        var cases = from codeCount in Gen.Choose(1, 5)
                    from capCount in Gen.Choose(1, 3)
                    from capOfCode in Gen.ArrayOf(Gen.Choose(0, capCount - 1), codeCount)
                    from maxima in Gen.ArrayOf(Gen.Choose(1, 3), capCount)
                    from categoryCount in Gen.Choose(1, 4)
                    from accepts in Gen.ArrayOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), categoryCount), codeCount)
                    from itemCount in Gen.Choose(0, 8)
                    from itemCategories in Gen.ArrayOf(Gen.Choose(0, categoryCount - 1), itemCount)
                    select (capOfCode, maxima, accepts, itemCategories);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var rules = RandomRules(c.capOfCode, c.maxima, c.accepts);
            var items = c.itemCategories.Select(j => Performance($"cat-{j}", 112)).ToList();
            var route = AdmissionPreparation.Assess(items, new SchoolYear(113), rules).Routes.ShouldHaveSingleItem();

            var capIds = route.Edition!.Caps.Select(cap => cap.Id).ToList();
            var capsOfItems = items.Select(i => (IReadOnlyList<int>)[.. route.Edition.ItemCodes.Where(code => code.Accepts(i)).Select(code => capIds.IndexOf(route.Edition.CapOf(code.Code).Id)).Distinct()]).ToList();
            var expected = BruteForce(capsOfItems, [.. route.Edition.Caps.Select(cap => cap.Max)]);
            route.MostItems.ShouldBe(expected);
            route.MostItems.ShouldBeLessThanOrEqualTo(route.Caps.Sum(cap => cap.Counted));
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void MostItems_AugmentsThroughAFullCap()
    {
        // Item 0 may go to cap 0 or 1, item 1 only to cap 0; each cap takes one. Greedy would put item 0 in cap 0 and lose item 1.
        AdmissionPreparation.MostItems([[0, 1], [0]], [1, 1]).ShouldBe(2);
        AdmissionPreparation.MostItems([[0], [0], [0]], [2]).ShouldBe(2);
        AdmissionPreparation.MostItems([], [3]).ShouldBe(0);
    }

    [Fact]
    public void RulesLoader_AnyText_OrAMutatedShippedFile_NeverThrows()
    {
        var shipped = File.ReadAllText(RepositoryPaths.Combine("src", "Portfolio.Sdk", "Admission", "admission-rules.json"));
        static bool Consistent(ParseOutcome<AdmissionRules> outcome) =>
            outcome.Success == outcome.Diagnostics.All(d => !d.IsError) && (outcome.Success || outcome.Diagnostics.Count > 0);
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => Consistent(AdmissionRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(text ?? string.Empty))))).Check(Runs);
        var mutations = from position in Gen.Choose(0, shipped.Length - 1)
                        from length in Gen.Choose(0, 12)
                        from insert in Gen.Elements("", "0", "-1", "\"x\"", "[", "}", ",", "null", "\"extra\": 1,", "1000", "\"*\"")
                        select string.Concat(shipped.AsSpan(0, position), insert, shipped.AsSpan(Math.Min(shipped.Length, position + length)));
        Prop.ForAll(mutations.ToArbitrary(), text =>
        {
            var outcome = AdmissionRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), "mutated.json");
            if (outcome.Success)
            {
                // Whatever loads assesses without throwing and keeps the account.
                var assessment = AdmissionPreparation.Assess([Outcome("3", 112), Performance("performance-other", 112)], new SchoolYear(113), outcome.Value);
                return assessment.Routes.All(r => r.Unplaced.Count + assessment.Items.Count(p => p.Routes.Single(x => x.RouteId == r.Route.Id).Codes.Count > 0) == 2);
            }

            return Consistent(outcome);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1500));
    }
}
