namespace Seamless.Tests.Browser;

/// <summary>
/// A test that drives a real browser: Debian's chromium (<c>apt-get install chromium</c>; <c>SEAMLESS_CHROMIUM</c> names
/// another). Skips with the reason where there is none; <c>.ci/run</c> installs it, so in CI these run.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserSession.Executable is null)
        {
            Skip = "no chromium: install Debian's chromium (apt-get install chromium) or set SEAMLESS_CHROMIUM";
        }
    }
}
