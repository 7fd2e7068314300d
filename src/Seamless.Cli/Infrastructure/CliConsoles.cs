using Spectre.Console;

namespace Seamless.Cli.Infrastructure;

/// <summary>Where a command writes: results to <see cref="Out"/>, the one-line errors to <see cref="Error"/>.</summary>
public sealed record CliConsoles(IAnsiConsole Out, IAnsiConsole Error, bool Interactive)
{
    public static CliConsoles System()
    {
        var output = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            output.Profile.Width = 200;
        }

        // Errors are one line each, whatever the terminal width, so scripts and logs can grep them.
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        error.Profile.Width = 4000;
        return new(output, error, !Console.IsOutputRedirected && !Console.IsErrorRedirected);
    }

    /// <summary>Plain text consoles over writers (tests, logs).</summary>
    public static CliConsoles Plain(TextWriter output, TextWriter error)
    {
        IAnsiConsole Make(TextWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(w),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        var o = Make(output);
        o.Profile.Width = 200;
        var e = Make(error);
        e.Profile.Width = 4000;
        return new CliConsoles(o, e, false);
    }

    /// <summary>Writes text as is, never wrapped (JSON, lists meant for other programs).</summary>
    public void WriteRaw(string text)
    {
        Out.Profile.Out.Writer.WriteLine(text);
        Out.Profile.Out.Writer.Flush();
    }

    public void WriteError(string message) => Error.MarkupLine("[red]Error:[/] " + Markup.Escape(message));

    public void WriteWarning(string message) => Error.MarkupLine("[yellow]Warning:[/] " + Markup.Escape(message));

    /// <summary>Something the user should know is happening (a retry), not a problem yet.</summary>
    public void WriteNote(string message) => Error.MarkupLine("[dim]note:[/] " + Markup.Escape(message));
}
