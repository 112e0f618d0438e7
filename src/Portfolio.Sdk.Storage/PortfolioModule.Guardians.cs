using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>
/// The guardian (家長) and their bindings to students (親子綁定): asked for by the school or the guardian's own account,
/// approved or revoked by the 導師 of the student's class, audited. A guardian reads only the children whose binding is
/// approved: every view of the module resolves the guardian's children from the store on each call.
/// </content>
public sealed partial class PortfolioModule
{
    private const string BindingEntity = "guardian-binding";

    /// <summary>
    /// Asks for a guardian to be bound to a student (親子綁定申請): by the school (系統管理者) for any guardian, or by the
    /// guardian's own account for itself. The binding waits for the 導師 (<see cref="ApproveGuardianBindingAsync"/>); a
    /// revoked binding may be asked for again.
    /// </summary>
    /// <param name="actor">The school's staff, or the guardian.</param>
    /// <param name="guardianId">The guardian's user id.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="className">The student's class, whose 導師 decides.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The binding (申請中), or the refusal (PF3101; PF3501 when it exists already).</returns>
    public async Task<PortfolioResult<GuardianBinding>> RequestGuardianBindingAsync(PortfolioActor actor, string guardianId, string studentKey, string? className, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        if (actor.Check(PortfolioOperation.RequestGuardianBinding, new PortfolioTarget(studentKey, className, Guardian: guardianId)) is { } denied)
        {
            return PortfolioResult<GuardianBinding>.Refused(denied);
        }

        return await _store.RunAsync(async tx =>
        {
            var existing = (await tx.ReadAsync(
                $"SELECT {BindingColumns} FROM {Q(StoreSchema.GuardianBindingTable)} WHERE {Q("guardian_id")} = {P(0)} AND {Q("student_key")} = {P(1)}",
                [guardianId, studentKey], ReadBinding, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (existing is { State: not GuardianBindingState.Revoked })
            {
                var state = PortfolioDisplayNamesOf(existing.State);
                return (false, PortfolioResult<GuardianBinding>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.GuardianBindingExists, null, state.Chinese, state.English)));
            }

            if (existing is not null)
            {
                var again = existing with { State = GuardianBindingState.Requested, ClassName = className, RequestedBy = actor.UserId, DecidedBy = null, Version = existing.Version + 1 };
                return await SaveBindingAsync(tx, existing, again, actor, "guardian-binding.request", cancellationToken).ConfigureAwait(false);
            }

            var binding = new GuardianBinding { Id = Guid.NewGuid(), GuardianId = guardianId, StudentKey = studentKey, ClassName = className, RequestedBy = actor.UserId };
            await tx.ExecuteAsync(
                $"INSERT INTO {Q(StoreSchema.GuardianBindingTable)} ({BindingColumns}) VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}, {P(7)})",
                BindingValues(binding), cancellationToken).ConfigureAwait(false);
            await tx.AuditAsync(actor.UserId, "guardian-binding.request", BindingEntity, binding.Id, null, Snapshot(binding), cancellationToken).ConfigureAwait(false);
            return (true, PortfolioResult<GuardianBinding>.Ok(binding));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The 導師 of the student's class approves a requested binding (審核通過): from now on the guardian reads the child's portfolio.</summary>
    /// <param name="actor">The 導師.</param>
    /// <param name="id">The binding.</param>
    /// <param name="expectedVersion">The version the 導師 read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The approved binding, or the refusal.</returns>
    public Task<PortfolioResult<GuardianBinding>> ApproveGuardianBindingAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        DecideBindingAsync(actor, id, expectedVersion, GuardianBindingState.Approved, "guardian-binding.approve", [GuardianBindingState.Requested], cancellationToken);

    /// <summary>The 導師 of the student's class revokes a binding, or refuses a request (解除綁定): the guardian sees nothing from now on.</summary>
    /// <param name="actor">The 導師.</param>
    /// <param name="id">The binding.</param>
    /// <param name="expectedVersion">The version the 導師 read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The revoked binding, or the refusal.</returns>
    public Task<PortfolioResult<GuardianBinding>> RevokeGuardianBindingAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        DecideBindingAsync(actor, id, expectedVersion, GuardianBindingState.Revoked, "guardian-binding.revoke", [GuardianBindingState.Requested, GuardianBindingState.Approved], cancellationToken);

    /// <summary>
    /// Lists guardian bindings: of a class, for its 導師 (or the school's staff who may ask for bindings); without a class,
    /// the actor's own as a guardian. Streamed; only what the actor may see.
    /// </summary>
    /// <param name="actor">The 導師, staff, or the guardian.</param>
    /// <param name="className">The class, or <see langword="null"/> for the actor's own bindings.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bindings.</returns>
    public async IAsyncEnumerable<GuardianBinding> ListGuardianBindingsAsync(PortfolioActor actor, string? className = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (sql, values) = className is null
            ? ($"SELECT {BindingColumns} FROM {Q(StoreSchema.GuardianBindingTable)} WHERE {Q("guardian_id")} = {P(0)} ORDER BY {Q("student_key")}", new object[] { actor.UserId })
            : ($"SELECT {BindingColumns} FROM {Q(StoreSchema.GuardianBindingTable)} WHERE {Q("class_name")} = {P(0)} ORDER BY {Q("student_key")}, {Q("guardian_id")}", [className]);
        await foreach (var binding in _store.StreamRowsAsync(sql, values, ReadBinding, cancellationToken).ConfigureAwait(false))
        {
            var target = new PortfolioTarget(binding.StudentKey, binding.ClassName);
            if (binding.GuardianId == actor.UserId || actor.Can(PortfolioOperation.DecideGuardianBinding, target) || actor.Can(PortfolioOperation.RequestGuardianBinding, target))
            {
                yield return binding;
            }
        }
    }

    /// <summary>
    /// Returns the actor as the module checks it: a guardian (家長) with <see cref="PortfolioActor.Children"/> set to the
    /// students whose binding is approved now, whatever the caller set; any other actor without children. For services
    /// outside the module that check a guardian's reads (e.g. receipts).
    /// </summary>
    /// <param name="actor">The actor as the host built it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The actor with its approved children.</returns>
    public async Task<PortfolioActor> ResolveActorAsync(PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Roles.Contains(PortfolioRole.Guardian))
        {
            return actor.Children.Count == 0 ? actor : actor with { Children = new HashSet<string>() };
        }

        var children = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in _store.StreamRowsAsync(
            $"SELECT {Q("student_key")} FROM {Q(StoreSchema.GuardianBindingTable)} WHERE {Q("guardian_id")} = {P(0)} AND {Q("state")} = {P(1)}",
            [actor.UserId, (int)GuardianBindingState.Approved], r => r.GetString(0), cancellationToken).ConfigureAwait(false))
        {
            children.Add(key);
        }

        return actor with { Children = children };
    }

    private Task<PortfolioResult<GuardianBinding>> DecideBindingAsync(PortfolioActor actor, Guid id, long expectedVersion, GuardianBindingState to, string action, GuardianBindingState[] from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.RunAsync(async tx =>
        {
            var current = (await tx.ReadAsync(
                $"SELECT {BindingColumns} FROM {Q(StoreSchema.GuardianBindingTable)} WHERE {Q("id")} = {P(0)}",
                [id.ToString("D")], ReadBinding, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (current is null)
            {
                return (false, PortfolioResult<GuardianBinding>.Refused(NotFound("親子綁定", id, "guardian binding")));
            }

            if (actor.Check(PortfolioOperation.DecideGuardianBinding, new PortfolioTarget(current.StudentKey, current.ClassName)) is { } denied)
            {
                return (false, PortfolioResult<GuardianBinding>.Refused(denied));
            }

            if (current.Version != expectedVersion)
            {
                return (false, PortfolioResult<GuardianBinding>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, current.Version)));
            }

            if (!from.Contains(current.State))
            {
                var (state, verb) = (PortfolioDisplayNamesOf(current.State), PortfolioDisplayNamesOf(to));
                return (false, PortfolioResult<GuardianBinding>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.TransitionInvalid, null, state.Chinese, verb.Chinese, state.English, verb.English)));
            }

            return await SaveBindingAsync(tx, current, current with { State = to, DecidedBy = actor.UserId, Version = current.Version + 1 }, actor, action, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private async Task<(bool, PortfolioResult<GuardianBinding>)> SaveBindingAsync(PortfolioStore.StoreTransaction tx, GuardianBinding before, GuardianBinding after, PortfolioActor actor, string action, CancellationToken cancellationToken)
    {
        var values = BindingValues(after);
        var updated = await tx.ExecuteAsync(
            $"UPDATE {Q(StoreSchema.GuardianBindingTable)} SET {Q("class_name")} = {P(0)}, {Q("state")} = {P(1)}, {Q("requested_by")} = {P(2)}, {Q("decided_by")} = {P(3)}, {Q("version")} = {P(4)} "
            + $"WHERE {Q("id")} = {P(5)} AND {Q("version")} = {P(6)}",
            [values[3], values[4], values[5], values[6], values[7], before.Id.ToString("D"), before.Version], cancellationToken).ConfigureAwait(false);
        if (updated != 1)
        {
            return (false, PortfolioResult<GuardianBinding>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, before.Version, before.Version + 1)));
        }

        await tx.AuditAsync(actor.UserId, action, BindingEntity, after.Id, Snapshot(before), Snapshot(after), cancellationToken).ConfigureAwait(false);
        return (true, PortfolioResult<GuardianBinding>.Ok(after));
    }

    private static readonly string[] BindingColumnNames = ["id", "guardian_id", "student_key", "class_name", "state", "requested_by", "decided_by", "version"];

    private string BindingColumns => string.Join(", ", BindingColumnNames.Select(Q));

    private static object[] BindingValues(GuardianBinding b) =>
        [b.Id.ToString("D"), b.GuardianId, b.StudentKey, (object?)b.ClassName ?? DBNull.Value, (int)b.State, b.RequestedBy, (object?)b.DecidedBy ?? DBNull.Value, b.Version];

    private static GuardianBinding ReadBinding(DbDataReader r) => new()
    {
        Id = Guid.Parse(Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!),
        GuardianId = r.GetString(1),
        StudentKey = r.GetString(2),
        ClassName = r.IsDBNull(3) ? null : r.GetString(3),
        State = (GuardianBindingState)Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture),
        RequestedBy = r.GetString(5),
        DecidedBy = r.IsDBNull(6) ? null : r.GetString(6),
        Version = Convert.ToInt64(r.GetValue(7), CultureInfo.InvariantCulture),
    };

    private static string Snapshot(GuardianBinding b) =>
        JsonSerializer.Serialize(new { b.Id, b.GuardianId, b.StudentKey, b.ClassName, b.State, b.RequestedBy, b.DecidedBy, b.Version });

    private static Workflow.BilingualName PortfolioDisplayNamesOf(GuardianBindingState state) => state switch
    {
        GuardianBindingState.Requested => new("申請中", "awaiting the homeroom teacher"),
        GuardianBindingState.Approved => new("已綁定", "approved"),
        GuardianBindingState.Revoked => new("已解除", "revoked"),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a binding state."),
    };
}
