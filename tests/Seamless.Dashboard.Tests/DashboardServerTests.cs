using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Seamless.Dashboard;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests;

public sealed class DashboardServerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<(DashboardServer Server, SqliteStudyStore Store, string Db)> Start(string? token = null, int trials = 8)
    {
        var (db, _) = MergeStudy.Write(_temp.Path, trials);
        var store = new SqliteStudyStore(db);
        var server = await DashboardServer.StartAsync(store, db, new DashboardOptions { Port = 0, Token = token, PollInterval = TimeSpan.FromMilliseconds(100) });
        return (server, store, db);
    }

    [Fact]
    public async Task Get_StudyListAndView_JsonOfTheStoreWithSecurityHeaders()
    {
        var (server, store, _) = await Start();
        await using (server)
        using (store)
        using (var http = new HttpClient { BaseAddress = server.Url })
        {
            var list = await http.GetAsync("api/studies");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains("default-src 'self'", list.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            var study = doc.RootElement.GetProperty("studies").EnumerateArray().Single();
            Assert.Equal("merge", study.GetProperty("name").GetString());
            Assert.Equal(8, study.GetProperty("trials").GetInt32());

            using var view = JsonDocument.Parse(await http.GetStringAsync("api/studies/merge"));
            Assert.Equal(8, view.RootElement.GetProperty("summary").GetProperty("trials").GetInt32());
            using var page = JsonDocument.Parse(await http.GetStringAsync("api/studies/merge/trials?sort=value&desc=true&size=3"));
            var values = page.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("value").GetDouble()).ToList();
            Assert.Equal(3, values.Count);
            Assert.Equal(values.OrderDescending(), values);
            Assert.StartsWith("<svg", view.RootElement.GetProperty("charts").GetProperty("scores").GetString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/studies/nope")).StatusCode);
            var html = await http.GetAsync("");
            Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
            Assert.Contains("assets/app.js", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("assets/app.js")).StatusCode);
        }
    }

    [Fact]
    public async Task Get_WithToken_401WithoutItAndInByQueryCookieOrBearer()
    {
        const string token = "s3cret-token-1234";
        var (server, store, _) = await Start(token);
        await using (server)
        using (store)
        using (var handler = new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
        using (var http = new HttpClient(handler) { BaseAddress = server.Url })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/studies")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("?token=wrong-token-1234")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/events")).StatusCode);

            // The link the command prints: sets the cookie the page's own requests then carry.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"?token={token}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/studies")).StatusCode);

            using var bare = new HttpClient { BaseAddress = server.Url };
            bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await bare.GetAsync("api/studies/merge")).StatusCode);
            bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await bare.GetAsync("api/studies/merge")).StatusCode);
        }
    }

    [Theory]
    [InlineData("p0.jpg", HttpStatusCode.OK)]
    [InlineData("samples.json", HttpStatusCode.NotFound)]
    [InlineData("..%2F..%2F..%2Fs.db", HttpStatusCode.NotFound)]
    [InlineData("p0.jpg%2F..%2F..%2Fsamples.json", HttpStatusCode.NotFound)]
    [InlineData("p9.jpg", HttpStatusCode.NotFound)]
    public async Task GetSample_OnlyKeptImagesByTheirNames(string file, HttpStatusCode expected)
    {
        var (server, store, _) = await Start();
        await using (server)
        using (store)
        using (var http = new HttpClient { BaseAddress = server.Url })
        {
            var r = await http.GetAsync($"api/studies/merge/trials/0/samples/{file}");
            Assert.Equal(expected, r.StatusCode);
            if (expected == HttpStatusCode.OK)
            {
                Assert.Equal("image/jpeg", r.Content.Headers.ContentType!.MediaType);
                var bytes = await r.Content.ReadAsByteArrayAsync();
                Assert.Equal([0xFF, 0xD8], bytes[..2]);
            }
        }
    }

    [Fact]
    public async Task Events_TrialFinishedByAnotherConnection_StudyEventArrives()
    {
        var (server, store, db) = await Start();
        await using (server)
        using (store)
        using (var http = new HttpClient { BaseAddress = server.Url })
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var response = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            Assert.Equal("event: hello", await reader.ReadLineAsync(cancel.Token));

            using (var writer = new SqliteStudyStore(db))
            {
                var study = writer.FindStudy("merge")!;
                MergeStudy.Finish(writer, study, study.Config.Space.Parameters.Select(p => p.Name).ToList(), 8);
            }

            string? line;
            while ((line = await reader.ReadLineAsync(cancel.Token)) is not null && line != "event: study")
            {
            }

            Assert.Equal("event: study", line);
            Assert.Equal("data: {\"study\":\"merge\"}", await reader.ReadLineAsync(cancel.Token));
            using var view = JsonDocument.Parse(await http.GetStringAsync("api/studies/merge", cancel.Token));
            Assert.Equal(9, view.RootElement.GetProperty("summary").GetProperty("trials").GetInt32());
        }
    }

    [Fact]
    public async Task StartAsync_NetworkHostWithoutToken_Refused()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 2);
        using var store = new SqliteStudyStore(db);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(store, db, new DashboardOptions { Host = "0.0.0.0", Port = 0 }));
        Assert.Contains("--token", e.Message, StringComparison.Ordinal);
    }
}
