using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Admission;

/// <summary>
/// What a student can bring to each admission route from the items submitted (升學備審準備檢核): per route the item
/// codes with the items under each, the caps per 校系 and how many items the student has against them; per item, the
/// codes it falls under. Every item read is accounted for in every route: placed under at least one code, or
/// listed in <see cref="AdmissionRouteAssessment.Unplaced"/> with the reason.
/// </summary>
/// <param name="Year">The 招生學年度 assessed.</param>
/// <param name="RulesRevision">The revision of the rules used.</param>
/// <param name="Routes">Each route.</param>
/// <param name="Items">Each item read, with its codes per route.</param>
/// <param name="Diagnostics">The route-level findings: rules unknown (PF3601) or carried forward (PF3602), over a cap (PF3606), under a minimum (PF3607).</param>
public sealed record AdmissionAssessment(SchoolYear Year, string RulesRevision, IReadOnlyList<AdmissionRouteAssessment> Routes, IReadOnlyList<AdmissionItemPlacement> Items, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets the assessment of one route.</summary>
    /// <param name="routeId">The route, e.g. <see cref="AdmissionRoute.VocationalSelection"/>.</param>
    /// <returns>The route's assessment.</returns>
    /// <exception cref="KeyNotFoundException">The rules have no such route.</exception>
    public AdmissionRouteAssessment this[string routeId] =>
        Routes.FirstOrDefault(r => r.Route.Id == routeId) ?? throw new KeyNotFoundException($"There is no admission route '{routeId}'.");
}

/// <summary>One route's part of an <see cref="AdmissionAssessment"/>.</summary>
/// <param name="Route">The route.</param>
/// <param name="Edition">The rules in force for the year, or <see langword="null"/> when the rules data has none (PF3601).</param>
/// <param name="Codes">Each item code of the edition with the items under it.</param>
/// <param name="Caps">Each cap with how many items the student has against it.</param>
/// <param name="Unplaced">The items under no code of this route, each with its reason.</param>
/// <param name="MostItems">The most items the student can bring to one 校系 of this route: no item counted twice and no cap exceeded.</param>
public sealed record AdmissionRouteAssessment(AdmissionRoute Route, AdmissionRouteEdition? Edition, IReadOnlyList<AdmissionCodeAssessment> Codes, IReadOnlyList<AdmissionCapAssessment> Caps, IReadOnlyList<AdmissionUnplacedItem> Unplaced, int MostItems)
{
    /// <summary>Gets whether the rules data knows the route for the year.</summary>
    public bool IsKnown => Edition is not null;
}

/// <summary>An item code and the student's items under it.</summary>
/// <param name="Code">The item code.</param>
/// <param name="Cap">The cap it counts against.</param>
/// <param name="Items">The identifiers of the items under it.</param>
public sealed record AdmissionCodeAssessment(AdmissionItemCode Code, AdmissionCap Cap, IReadOnlyList<Guid> Items);

/// <summary>A cap and how many of the student's items fall under its codes.</summary>
/// <param name="Cap">The cap.</param>
/// <param name="Available">The student's items under its codes (each counted once).</param>
public sealed record AdmissionCapAssessment(AdmissionCap Cap, int Available)
{
    /// <summary>Gets how many of them one 校系 counts: at most <see cref="AdmissionCap.Max"/>.</summary>
    public int Counted => Math.Min(Available, Cap.Max);

    /// <summary>Gets whether the student has the required minimum (必採), when the cap sets one.</summary>
    public bool MeetsMinimum => Available >= (Cap.Min ?? 0);
}

/// <summary>An item that falls under no code of a route.</summary>
/// <param name="Item">The item.</param>
/// <param name="Reason">Why (PF3601 no rules for the year, PF3603 its 科目屬性, PF3604 its category, PF3605 submitted too late for the year).</param>
public sealed record AdmissionUnplacedItem(AdmissionItem Item, Diagnostic Reason);

/// <summary>One item and the codes it falls under in each route.</summary>
/// <param name="Item">The item.</param>
/// <param name="Routes">Per route, its codes, or the reason it has none.</param>
public sealed record AdmissionItemPlacement(AdmissionItem Item, IReadOnlyList<AdmissionRoutePlacement> Routes);

/// <summary>The codes an item falls under in one route.</summary>
/// <param name="RouteId">The route.</param>
/// <param name="Codes">The item codes (empty when unplaced).</param>
/// <param name="Reason">Why it falls under none, or <see langword="null"/>.</param>
public sealed record AdmissionRoutePlacement(string RouteId, IReadOnlyList<string> Codes, Diagnostic? Reason);
