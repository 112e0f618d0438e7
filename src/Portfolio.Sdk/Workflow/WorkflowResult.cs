using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Workflow;

/// <summary>The outcome of a workflow transition: the new value, or why the transition was refused (state unchanged).</summary>
/// <typeparam name="T">The item type.</typeparam>
public readonly record struct WorkflowResult<T>
    where T : class
{
    private WorkflowResult(T? value, Diagnostic? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>Gets the item after the transition, when it succeeded.</summary>
    public T? Value { get; }

    /// <summary>Gets why the transition was refused, when it was.</summary>
    public Diagnostic? Problem { get; }

    /// <summary>Gets whether the transition succeeded.</summary>
    public bool Succeeded => Problem is null;

    internal static WorkflowResult<T> Ok(T value) => new(value, null);

    internal static WorkflowResult<T> Refused(Diagnostic problem) => new(null, problem);
}
