using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Admission;

/// <summary>
/// Admission preparation (升學備審準備): tells a student, from the items submitted to the central database, what they
/// can bring to each route for a 招生學年度 and which item codes each item falls under.
/// </summary>
public static class AdmissionPreparation
{
    /// <summary>
    /// Assesses the submitted items against the rules of <paramref name="year"/>. Items submitted for the admission year
    /// or later are not in that year's data (PF3605); course outcomes are placed by the 科目屬性 of their 課程代碼 and
    /// 多元表現 by category; an item under no code is listed with the reason. Never throws for data: a year the rules do
    /// not know gives PF3601, one past their sources PF3602.
    /// </summary>
    /// <param name="items">The student's submitted items.</param>
    /// <param name="year">The 招生學年度 (the year the student is admitted, as on the 簡章).</param>
    /// <param name="rules">The rules; <see cref="AdmissionRules.Default"/> when <see langword="null"/>.</param>
    /// <param name="codes">The code tables for the names of 科目屬性; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <returns>The assessment.</returns>
    public static AdmissionAssessment Assess(IEnumerable<AdmissionItem> items, SchoolYear year, AdmissionRules? rules = null, CodeTableCatalog? codes = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        rules ??= AdmissionRules.Default;
        codes ??= CodeTableCatalog.Default;
        var all = items.ToList();
        if (all.Exists(i => i is null))
        {
            throw new ArgumentException("The items contain null.", nameof(items));
        }

        var diagnostics = new List<Diagnostic>();
        var routes = new List<AdmissionRouteAssessment>();
        var placements = all.Select(_ => new List<AdmissionRoutePlacement>()).ToArray();
        foreach (var route in rules.Routes)
        {
            var (assessed, perItem) = AssessRoute(route, all, year, codes, diagnostics);
            routes.Add(assessed);
            for (var i = 0; i < all.Count; i++)
            {
                placements[i].Add(new AdmissionRoutePlacement(route.Id, perItem[i].Codes, perItem[i].Reason));
            }
        }

        return new AdmissionAssessment(year, rules.Revision, routes, [.. all.Select((item, i) => new AdmissionItemPlacement(item, placements[i]))], diagnostics);
    }

    /// <summary>
    /// The most items one 校系 can count when each item is counted at most once, under one of the caps its codes
    /// belong to, and no cap takes more than its maximum (a matching with capacities, by augmenting paths).
    /// </summary>
    /// <param name="capsOfItems">For each item, the indexes of the caps it may count against.</param>
    /// <param name="maxima">Each cap's maximum.</param>
    /// <returns>The most items that count.</returns>
    internal static int MostItems(IReadOnlyList<IReadOnlyList<int>> capsOfItems, IReadOnlyList<int> maxima)
    {
        var members = maxima.Select(_ => new List<int>()).ToArray();
        var counted = 0;
        for (var item = 0; item < capsOfItems.Count; item++)
        {
            if (Augment(item, new bool[maxima.Count]))
            {
                counted++;
            }
        }

        return counted;

        bool Augment(int item, bool[] visited)
        {
            foreach (var cap in capsOfItems[item])
            {
                if (visited[cap])
                {
                    continue;
                }

                visited[cap] = true;
                if (members[cap].Count < maxima[cap])
                {
                    members[cap].Add(item);
                    return true;
                }

                for (var k = 0; k < members[cap].Count; k++)
                {
                    if (Augment(members[cap][k], visited))
                    {
                        members[cap][k] = item;
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private static (AdmissionRouteAssessment Route, (IReadOnlyList<string> Codes, Diagnostic? Reason)[] PerItem) AssessRoute(AdmissionRoute route, List<AdmissionItem> items, SchoolYear year, CodeTableCatalog codes, List<Diagnostic> diagnostics)
    {
        var at = DiagnosticLocation.ForPath(route.Id);
        if (route.EditionFor(year) is not { } edition)
        {
            var known = route.Editions.Count == 0 ? "—" : string.Join(", ", route.Editions.Select(e => e.Until is { } u ? $"{e.From}–{u}" : $"{e.From}–"));
            var unknown = DiagnosticCatalog.Create(DiagnosticCodes.AdmissionRulesUnknownYear, at, route.Name, year.RocYear, known, route.NameEnglish);
            diagnostics.Add(unknown);
            return (new AdmissionRouteAssessment(route, null, [], [], [.. items.Select(i => new AdmissionUnplacedItem(i, unknown))], 0), [.. items.Select(_ => ((IReadOnlyList<string>)[], (Diagnostic?)unknown))]);
        }

        if (year > edition.SourcedThrough)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.AdmissionRulesCarriedForward, at, route.Name, year.RocYear, edition.From.RocYear, edition.SourcedThrough.RocYear, route.NameEnglish));
        }

        var unplaced = new List<AdmissionUnplacedItem>();
        var placed = new List<(AdmissionItem Item, List<AdmissionItemCode> Codes)>();
        var perItem = new (IReadOnlyList<string> Codes, Diagnostic? Reason)[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.SubmittedFor >= year)
            {
                var late = DiagnosticCatalog.Create(DiagnosticCodes.AdmissionItemAfterYear, at.Append(item.Id.ToString()), item.SubmittedFor.RocYear, year.RocYear, year.RocYear - 1);
                unplaced.Add(new AdmissionUnplacedItem(item, late));
                perItem[i] = ([], late);
                continue;
            }

            var under = edition.ItemCodes.Where(c => c.Accepts(item)).ToList();
            if (under.Count > 0)
            {
                placed.Add((item, under));
                perItem[i] = ([.. under.Select(c => c.Code)], null);
                continue;
            }

            var reason = item.Kind == AdmissionItemKind.CourseOutcome
                ? DiagnosticCatalog.Create(DiagnosticCodes.AdmissionCourseOutcomeUnplaced, at.Append(item.Id.ToString()), route.Name, item.CourseCode?.Value ?? "—",
                    item.CourseCode?.SubjectAttribute ?? "—", AttributeName(codes, item.CourseCode?.SubjectAttribute), route.NameEnglish)
                : DiagnosticCatalog.Create(DiagnosticCodes.AdmissionPerformanceUnplaced, at.Append(item.Id.ToString()), route.Name, item.PerformanceCategory ?? "—", route.NameEnglish);
            unplaced.Add(new AdmissionUnplacedItem(item, reason));
            perItem[i] = ([], reason);
        }

        var codeResults = edition.ItemCodes
            .Select(c => new AdmissionCodeAssessment(c, edition.CapOf(c.Code), [.. placed.Where(p => p.Codes.Contains(c)).Select(p => p.Item.Id)]))
            .ToList();
        var capResults = new List<AdmissionCapAssessment>();
        foreach (var cap in edition.Caps)
        {
            var available = placed.Count(p => p.Codes.Exists(c => cap.Codes.Contains(c.Code, StringComparer.Ordinal)));
            var result = new AdmissionCapAssessment(cap, available);
            capResults.Add(result);
            if (available > cap.Max)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.AdmissionOverCap, at.Append(cap.Id), route.Name, string.Join("、", cap.Codes), available, cap.Max, route.NameEnglish));
            }

            if (!result.MeetsMinimum)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.AdmissionBelowMinimum, at.Append(cap.Id), route.Name, string.Join("、", cap.Codes), available, cap.Min, route.NameEnglish));
            }
        }

        var capsOfItems = placed.Select(p => (IReadOnlyList<int>)[.. p.Codes.Select(c => IndexOfCap(edition, c.Code)).Distinct()]).ToList();
        var most = MostItems(capsOfItems, [.. edition.Caps.Select(c => c.Max)]);
        return (new AdmissionRouteAssessment(route, edition, codeResults, capResults, unplaced, most), perItem);
    }

    private static int IndexOfCap(AdmissionRouteEdition edition, string code)
    {
        for (var i = 0; i < edition.Caps.Count; i++)
        {
            if (edition.Caps[i].Codes.Contains(code, StringComparer.Ordinal))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"No cap holds item code '{code}'.");
    }

    private static string AttributeName(CodeTableCatalog codes, string? attribute) =>
        attribute is not null && codes.TryGetTable(CodeTableIds.SubjectAttribute, out var table) && table.NameOf(attribute) is { } name ? name : "（未列於代碼表）";
}
