using Seamless.Application.Execution;
using Spectre.Console;

namespace Seamless.Cli.Infrastructure;

/// <summary>Shows a running search's messages on the error console, one line each (the results go to standard output).</summary>
public sealed class ExecutionLines(CliConsoles consoles) : IProgress<ExecutionMessage>
{
    public void Report(ExecutionMessage value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Level)
        {
            case MessageLevel.Warning:
                consoles.WriteWarning(value.Text);
                break;
            case MessageLevel.Note:
                consoles.WriteNote(value.Text);
                break;
            default:
                consoles.Error.MarkupLine(Markup.Escape(value.Text));
                break;
        }
    }
}
