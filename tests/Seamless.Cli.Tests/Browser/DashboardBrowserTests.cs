using System.Globalization;
using Microsoft.Data.Sqlite;
using PuppeteerSharp;
using Seamless.Dashboard;
using Seamless.Storage.Sqlite;

namespace Seamless.Tests.Browser;

/// <summary>The dashboard in a real browser, over studies that real search processes write.</summary>
public sealed class DashboardBrowserTests(BrowserSession session) : IClassFixture<BrowserSession>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly WaitForFunctionOptions Patient = new() { Timeout = 30_000, PollingInterval = 100 };

    [BrowserFact]
    public async Task Dashboard_SearchProcessWritesTrials_NewTrialsAppearLiveAndTheTableSorts()
    {
        File.WriteAllText(_temp.File("space.json"), """{"x": [-2, 2], "y": [0, 1]}""");
        var db = _temp.File("s.db");
        var objective = "n=$(sed -E 's/.*\"trial\": *([0-9]+).*/\\1/'); sleep 0.4; awk -v n=\"$n\" 'BEGIN { printf \"%.6f\\n\", (n * 7919 % 100) / 100 }'";
        using var search = CliProcess.Start("optimize", "--space", _temp.File("space.json"), "--objective-command", objective, "--budget", "40", "--seed", "1", "--storage", db, "--name", "live");
        try
        {
            await WaitUntil(() => CompleteTrials(db) >= 2, search);
            using var store = new SqliteStudyStore(db);
            await using var server = await DashboardServer.StartAsync(store, db, new DashboardOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(200) });
            var problems = new List<string>();
            var page = await session.PageAsync(problems);
            await page.GoToAsync(new Uri(server.Url, "#/study/live").ToString(), WaitUntilNavigation.Load);
            await page.WaitForSelectorAsync("#trials tbody tr", new WaitForSelectorOptions { Timeout = 30_000 });

            // A mark the page keeps only as long as it is not reloaded.
            await page.EvaluateExpressionAsync("window.__sameDocument = true");
            var before = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#trials tbody tr.state-complete').length");
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('#trials tbody tr.state-complete').length > {before + 1}", Patient);
            Assert.True(await page.EvaluateExpressionAsync<bool>("window.__sameDocument === true"), "the page was reloaded");
            Assert.Equal("live", await page.EvaluateExpressionAsync<string>("document.getElementById('live').textContent"));

            // The chart has a point per finished trial.
            // (The table is paged straight from the store; the chart follows once the study's view is rebuilt.)
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('svg[data-chart=scores] circle.trial').length >= {before + 2}", Patient);

            // Sorting by score: ascending, then descending.
            await page.ClickAsync("#trials th[data-key=value]");
            await page.WaitForFunctionAsync("() => document.getElementById('trials').dataset.sorted === 'value:asc'", Patient);
            var ascending = await Scores(page);
            Assert.Equal(ascending.Order(), ascending);
            await page.ClickAsync("#trials th[data-key=value]");
            await page.WaitForFunctionAsync("() => document.getElementById('trials').dataset.sorted === 'value:desc'", Patient);
            var descending = await Scores(page);
            Assert.Equal(descending.OrderDescending(), descending);
            Assert.True(descending.Count >= 3);

            // The list page is live too.
            await page.GoToAsync(server.Url.ToString(), WaitUntilNavigation.Load);
            await page.WaitForSelectorAsync("#studies tr[data-study=live]", new WaitForSelectorOptions { Timeout = 30_000 });
            await page.CloseAsync();
            Assert.Empty(problems);
        }
        finally
        {
            search.Kill();
        }
    }

    [BrowserFact]
    public async Task Dashboard_MergeStudy_ImagesLoadHostileNamesStayTextAndEveryPartRenders()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 14);
        using var store = new SqliteStudyStore(db);
        await using var server = await DashboardServer.StartAsync(store, db, new DashboardOptions { Port = 0 });
        var problems = new List<string>();
        var page = await session.PageAsync(problems);
        await page.GoToAsync(server.Url.ToString(), WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("#studies tr[data-study=merge]", new WaitForSelectorOptions { Timeout = 30_000 });
        Assert.Contains(MergeStudy.HostileModel, await page.EvaluateExpressionAsync<string>("document.body.innerText"), StringComparison.Ordinal);
        await Shot(page, "dashboard-studies.png");

        await page.GoToAsync(new Uri(server.Url, "#/study/merge").ToString(), WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("#sample-grid img", new WaitForSelectorOptions { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#recipe-chart svg rect.cell", new WaitForSelectorOptions { Timeout = 30_000 });
        await page.EvaluateExpressionAsync("document.getElementById('sample-grid').scrollIntoView()");
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)", Patient);

        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("[...document.images].filter(i => i.naturalWidth === 0).length"));
        Assert.Equal(4, await page.EvaluateExpressionAsync<int>("document.images.length"));
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('img[src=x]').length"));
        Assert.Contains(MergeStudy.HostileModel, await page.EvaluateExpressionAsync<string>("document.body.innerText"), StringComparison.Ordinal);
        Assert.Contains("backend down <b>bold</b>", await page.EvaluateExpressionAsync<string>("document.querySelector('#trials').innerText"), StringComparison.Ordinal);
        Assert.Equal(2 * 26, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#recipe-chart rect.cell').length"));
        Assert.Contains("models:", await page.EvaluateExpressionAsync<string>("document.getElementById('export-text').textContent"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.tag.found').length") > 0);
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.tag.missed').length") > 0);

        // The difference of two trials.
        await page.EvaluateExpressionAsync("document.getElementById('recipe-vs').value = '0'");
        await page.ClickAsync("#recipe button");
        await page.WaitForFunctionAsync("() => document.querySelector('#recipe-chart svg text')?.textContent.includes('− trial 0')", Patient);

        await Shot(page, "dashboard.png");
        await page.CloseAsync();
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task Dashboard_QuickstartStudy_SamplesOfRealTrialsWithTheirTagsAndTheReadmeScreenshot()
    {
        var qs = Seamless.Tests.Commands.CliRunner.Run("quickstart", "--dir", _temp.File("qs"));
        Assert.True(qs.ExitCode == 0, qs.Error);
        var db = _temp.File("qs/studies.db");

        // The command the quickstart prints names this very study file.
        var printed = System.Text.RegularExpressions.Regex.Match(qs.Output, @"seamless dashboard --storage (\S+)");
        Assert.True(printed.Success, qs.Output);
        Assert.Equal(Path.GetFullPath(db), Path.GetFullPath(printed.Groups[1].Value));
        using var store = new SqliteStudyStore(db);
        await using var server = await DashboardServer.StartAsync(store, db, new DashboardOptions { Port = 0 });
        var problems = new List<string>();
        var page = await session.PageAsync(problems);
        await page.GoToAsync(new Uri(server.Url, "#/study/quickstart").ToString(), WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("#sample-grid img", new WaitForSelectorOptions { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#recipe-chart svg rect.cell", new WaitForSelectorOptions { Timeout = 30_000 });
        // Sample images load lazily, as a reader scrolls to them.
        await page.EvaluateExpressionAsync("document.getElementById('sample-grid').scrollIntoView()");
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete) && document.getElementById('trials').dataset.sorted", Patient);

        // The search kept the first image of its first prompts for every trial: the base's beside the recommendation's.
        Assert.Equal(2 * Seamless.Reports.Model.TrialSamples.PromptsPerTrial, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#sample-grid img').length"));
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("[...document.images].filter(i => i.naturalWidth === 0).length"));
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#sample-grid .tag').length") >= 8);
        Assert.Contains("Held-out check:", await page.EvaluateExpressionAsync<string>("document.getElementById('recommendation').innerText"), StringComparison.Ordinal);
        var complete = store.Trials(store.FindStudy("quickstart")!.Id).Count(t => t.State == Seamless.Search.Studies.TrialState.Complete);
        Assert.Equal(complete, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#trials tbody tr.state-complete').length"));
        await Shot(page, "dashboard-quickstart.png");
        await page.CloseAsync();
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task Report_InTheBrowser_NoErrorsEveryImageLoadsChartsHaveWholeLabels()
    {
        var (db, _) = MergeStudy.Write(_temp.Path, 14);
        var files = Seamless.Application.Reporting.StudyReports.Write(db, "merge", _temp.File("merge-report"), []);
        var problems = new List<string>();
        var page = await session.PageAsync(problems);
        await page.GoToAsync(new Uri(Path.GetFullPath(files.Html)).ToString(), WaitUntilNavigation.Load);

        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"));
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.chart').length"));
        Assert.Contains(MergeStudy.HostileModel, await page.EvaluateExpressionAsync<string>("document.body.innerText"), StringComparison.Ordinal);

        // Every sensitivity label is a whole parameter name, drawn inside the chart; the page uses the window's width.
        var labels = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('svg[data-chart=sensitivity] text.label')].map(t => t.textContent)");
        Assert.NotEmpty(labels);
        Assert.All(labels, l => Assert.Contains(":", l, StringComparison.Ordinal));
        Assert.True(await page.EvaluateExpressionAsync<bool>("[...document.querySelectorAll('svg[data-chart=sensitivity] text.label')].every(t => t.getBBox().x >= 0)"), "a label is cut at the left edge");
        Assert.True(await page.EvaluateExpressionAsync<double>("document.querySelector('svg[data-chart=scores]').getBoundingClientRect().width") > 1000);

        // Upright heat-map labels never overlap their neighbours.
        var overlaps = await page.EvaluateExpressionAsync<int>(
            "(() => { const r = [...document.querySelectorAll('svg[data-chart=heatmap] text[transform]')].map(t => t.getBoundingClientRect()); let n = 0; for (let i = 1; i < r.length; i++) if (r[i].left < r[i-1].right - 0.5) n++; return n; })()");
        Assert.Equal(0, overlaps);
        await Shot(page, "report.png");
        await page.CloseAsync();
        Assert.Empty(problems);
    }

    private static async Task<List<double>> Scores(IPage page) =>
        (await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#trials tbody tr.state-complete td:nth-child(3)')].map(td => td.textContent)"))
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToList();

    private static async Task Shot(IPage page, string name)
    {
        var path = BrowserSession.ScreenshotFolder is { } folder ? Path.Combine(folder, name) : Path.Combine(Path.GetTempPath(), "seamless-" + name);
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is nearly empty");
    }

    private static int CompleteTrials(string db)
    {
        if (!File.Exists(db))
        {
            return 0;
        }

        try
        {
            using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM trials WHERE state = 'Complete'";
            return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    private static async Task WaitUntil(Func<bool> condition, CliProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.False(process.Process.HasExited, $"the search ended early: {process.Errors}");
            Assert.True(DateTime.UtcNow < deadline, $"the search wrote no trials in 60 s: {process.Errors}");
            await Task.Delay(100);
        }
    }
}
