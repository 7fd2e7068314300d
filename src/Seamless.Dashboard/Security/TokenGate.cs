using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Seamless.Dashboard.Security;

/// <summary>
/// With a token, every request must carry it: <c>Authorization: Bearer T</c>, <c>?token=T</c> (the link a user opens;
/// it also sets an HttpOnly cookie so the page's own requests and its event stream carry it), or that cookie.
/// Compared in constant time. Without a token (loopback only, see <see cref="DashboardOptions.Problems"/>) it lets all in.
/// </summary>
public sealed class TokenGate(string? token)
{
    public const string Cookie = "seamless_token";

    private readonly byte[]? _token = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_token is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var header = request.Headers.Authorization.ToString();
        var query = request.Query["token"].ToString();
        if (Matches(query))
        {
            context.Response.Cookies.Append(Cookie, query, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
        }
        else if (!Matches(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null) && !Matches(request.Cookies[Cookie]))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("This dashboard needs its token: open the link 'seamless dashboard' printed (…/?token=…).\n").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private bool Matches(string? given) =>
        !string.IsNullOrEmpty(given) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _token);
}
