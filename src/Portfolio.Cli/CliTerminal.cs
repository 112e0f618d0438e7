using Spectre.Console;
using Spectre.Console.Rendering;

namespace Portfolio.Cli;

/// <summary>
/// Progress and tables for a person at a terminal (Spectre.Console). Progress goes to standard error and tables to
/// standard output, and only when that stream is the process's own terminal and <c>--json</c> was not given: output
/// that is redirected, piped or captured stays plain text (or JSON), byte for byte, with no ANSI escapes.
/// </summary>
internal static class CliTerminal
{
    private static readonly IProgress<(string Step, double Fraction)> Silent = new Progress<(string, double)>();

    /// <summary>Gets whether <paramref name="writer"/> is this process's standard output or error and that stream is a terminal.</summary>
    /// <param name="writer">The writer a command was given.</param>
    /// <returns><see langword="true"/> for an unredirected console stream.</returns>
    public static bool IsTerminal(TextWriter writer) =>
        Environment.GetEnvironmentVariable("TERM") != "dumb"
        && ((ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected) || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected));

    /// <summary>A Spectre console on <paramref name="writer"/>, when rich output is wanted there; otherwise <see langword="null"/>.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="json">Whether <c>--json</c> was given.</param>
    /// <returns>The console, or <see langword="null"/> for plain output.</returns>
    public static IAnsiConsole? For(TextWriter writer, bool json) =>
        json || !IsTerminal(writer)
            ? null
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Detect,
            });

    /// <summary>Runs <paramref name="work"/> with a progress bar on <paramref name="console"/>, or silently when it is <see langword="null"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="console">The console for standard error (<see cref="For"/>), or <see langword="null"/>.</param>
    /// <param name="title">What the command does, e.g. <c>build</c>.</param>
    /// <param name="work">The work; it reports each step and the fraction done.</param>
    /// <returns>The work's result.</returns>
    public static async Task<T> WithProgressAsync<T>(IAnsiConsole? console, string title, Func<IProgress<(string Step, double Fraction)>, Task<T>> work)
    {
        if (console is null)
        {
            return await work(Silent);
        }

        return await console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), autoStart: true, maxValue: 1);
                var result = await work(new TaskProgress(task, title));
                task.Value = 1;
                task.StopTask();
                return result;
            });
    }

    /// <summary>Writes a table on a terminal; elsewhere runs <paramref name="plain"/>, the command's plain-text form.</summary>
    /// <param name="console">The console for standard output (<see cref="For"/>), or <see langword="null"/>.</param>
    /// <param name="headers">The column headers.</param>
    /// <param name="rows">The rows, one cell per header.</param>
    /// <param name="plain">Writes the plain-text form.</param>
    /// <returns>A task.</returns>
    public static Task WriteTableAsync(IAnsiConsole? console, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<Task> plain)
    {
        if (console is null)
        {
            return plain();
        }

        console.Write(Table(headers, rows));
        return Task.CompletedTask;
    }

    /// <summary>Builds the table <see cref="WriteTableAsync"/> writes.</summary>
    /// <param name="headers">The column headers.</param>
    /// <param name="rows">The rows.</param>
    /// <returns>The table.</returns>
    internal static Table Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]")));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }

        return table;
    }

    private sealed class TaskProgress(ProgressTask task, string title) : IProgress<(string Step, double Fraction)>
    {
        public void Report((string Step, double Fraction) value)
        {
            task.Description = Markup.Escape(string.IsNullOrEmpty(value.Step) ? title : $"{title}: {value.Step}");
            task.Value = Math.Clamp(value.Fraction, 0, 1);
        }
    }
}
