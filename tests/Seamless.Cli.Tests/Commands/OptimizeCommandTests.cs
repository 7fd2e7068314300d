using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Seamless.Tests.Commands;

public sealed class OptimizeCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Space()
    {
        var path = _temp.File("space.json");
        File.WriteAllText(path, """{"x": [-2, 2], "y": [0, 1]}""");
        return path;
    }

    /// <summary>
    /// A pure-shell objective: logs each call, waits a little and scores 1 / (1 + trial number), read from the JSON on
    /// its stdin. From trial <paramref name="blockFrom"/> on it marks itself running (running-N) and waits until the test
    /// creates "release", so a test can act while a trial is certainly running.
    /// </summary>
    private string Objective(double sleepSeconds, int blockFrom = int.MaxValue)
    {
        var log = _temp.File("calls.log");
        var sleep = sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"n=$(sed -E 's/.*\"trial\": *([0-9]+).*/\\1/'); echo call >> '{log}'; sleep {sleep}; " +
            $"if [ \"$n\" -ge {blockFrom} ]; then touch '{_temp.File("running-")}'\"$n\"; while [ ! -e '{_temp.File("release")}' ]; do sleep 0.05; done; fi; " +
            "awk -v n=\"$n\" 'BEGIN { printf \"%.17g\\n\", 1 / (1 + n) }'";
    }

    private static List<(int Number, string State, int Attempts)> Trials(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT number, state, attempts FROM trials ORDER BY number";
        using var reader = cmd.ExecuteReader();
        var list = new List<(int, string, int)>();
        while (reader.Read())
        {
            list.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return list;
    }

    [Fact]
    public void Optimize_PrintsBestParamsAsJson()
    {
        var db = _temp.File("s.db");
        var r = CliRunner.Run("optimize", "--space", Space(), "--objective-command", Objective(0), "--budget", "6", "--seed", "1", "--storage", db, "--name", "t");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(r.Output.Trim());
        Assert.Equal("t", json.RootElement.GetProperty("study").GetString());
        Assert.InRange(json.RootElement.GetProperty("params").GetProperty("x").GetDouble(), -2, 2);
        Assert.Equal(6, Trials(db).Count(t => t.State == "Complete"));

        var csv = CliRunner.Run("study", "export", "t", "--storage", db);
        Assert.Equal(7, csv.Output.Trim().Split('\n').Length);
        var again = CliRunner.Run("optimize", "--space", Space(), "--objective-command", Objective(0), "--budget", "6", "--storage", db, "--name", "t");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--resume t", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimize_BadInputs_AllReportedBeforeAnyWork()
    {
        File.WriteAllText(_temp.File("bad.json"), """{"x": [1, -1], "y": "wide"}""");
        var r = CliRunner.Run("optimize", "--space", _temp.File("bad.json"), "--objective-command", "no-such-scorer --fast", "--budget", "3", "--storage", _temp.File("s.db"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("reversed", r.Error, StringComparison.Ordinal);
        Assert.Contains("'y' is not [low, high]", r.Error, StringComparison.Ordinal);
        var missing = CliRunner.Run("optimize", "--space", Space(), "--objective-command", "no-such-scorer --fast", "--budget", "3", "--storage", _temp.File("s2.db"));
        Assert.Contains("no-such-scorer", missing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("calls.log")));
    }

    [Fact]
    public void Optimize_KilledWithSigkill_ResumesWithoutLosingOrDoubleCountingTrials()
    {
        var db = _temp.File("s.db");
        const int budget = 10;
        using (var process = CliProcess.Start("optimize", "--space", Space(), "--objective-command", Objective(0, blockFrom: 3), "--budget", budget.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "--storage", db, "--name", "k"))
        {
            // Trial 3 holds until released: once it says it runs, the kill lands mid-trial, after three completed.
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!File.Exists(_temp.File("running-3")) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            Assert.True(File.Exists(_temp.File("running-3")), "trial 3 never started");
            process.Kill();
        }

        File.WriteAllText(_temp.File("release"), string.Empty);
        var afterKill = Trials(db);
        Assert.Equal([(0, "Complete"), (1, "Complete"), (2, "Complete"), (3, "Running")], afterKill.Select(t => (t.Number, t.State)));

        var resumed = CliRunner.Run("optimize", "--resume", "k", "--storage", db);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var final = Trials(db);
        Assert.Equal(budget, final.Count);
        Assert.Equal(Enumerable.Range(0, budget), final.Select(t => t.Number));
        Assert.All(final, t => Assert.Equal("Complete", t.State));
        Assert.Equal(2, final.Single(t => t.Number == 3).Attempts);
        Assert.All(final.Where(t => t.Number != 3), t => Assert.Equal(1, t.Attempts));
    }

    private static List<(int Number, string State, int Attempts)> SafeTrials(string db)
    {
        try
        {
            return Trials(db);
        }
        catch (SqliteException)
        {
            return [];
        }
    }

    [Fact]
    public void StudyMigrate_CopiesEveryTrialAndRefusesClashes()
    {
        var db = _temp.File("s.db");
        Assert.Equal(0, CliRunner.Run("optimize", "--space", Space(), "--objective-command", Objective(0), "--budget", "5", "--seed", "1", "--storage", db, "--name", "m").ExitCode);
        var target = _temp.File("copy.db");
        var r = CliRunner.Run("study", "migrate", "m", "--storage", db, "--to", target);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(CliRunner.Run("study", "export", "m", "--storage", db).Output, CliRunner.Run("study", "export", "m", "--storage", target).Output);
        var again = CliRunner.Run("study", "migrate", "--storage", db, "--to", target);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already has m", again.Error, StringComparison.Ordinal);
        var resumed = CliRunner.Run("optimize", "--resume", "m", "--budget", "7", "--storage", target);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(7, Trials(target).Count);
    }

    [PostgresFact]
    public void Optimize_PostgresStorage_RunsResumesAndExports()
    {
        using var database = new ScratchDatabase();
        var uri = database.Uri;
        var r = CliRunner.Run("optimize", "--space", Space(), "--objective-command", Objective(0), "--budget", "4", "--seed", "1", "--storage", uri, "--name", "pg");
        Assert.True(r.ExitCode == 0, r.Error);
        var more = CliRunner.Run("optimize", "--resume", "pg", "--budget", "6", "--storage", uri);
        Assert.True(more.ExitCode == 0, more.Error);
        var csv = CliRunner.Run("study", "export", "pg", "--storage", uri);
        Assert.Equal(7, csv.Output.Trim().Split('\n').Length);

        // SQLite → PostgreSQL: the copy exports the same trials and continues numbering after them.
        var db = _temp.File("s.db");
        Assert.Equal(0, CliRunner.Run("optimize", "--space", Space(), "--objective-command", Objective(0), "--budget", "3", "--seed", "2", "--storage", db, "--name", "lite").ExitCode);
        Assert.Equal(0, CliRunner.Run("study", "migrate", "lite", "--storage", db, "--to", uri).ExitCode);
        Assert.Equal(CliRunner.Run("study", "export", "lite", "--storage", db).Output, CliRunner.Run("study", "export", "lite", "--storage", uri).Output);
        Assert.Equal(0, CliRunner.Run("optimize", "--resume", "lite", "--budget", "4", "--storage", uri).ExitCode);
        Assert.Equal(5, CliRunner.Run("study", "export", "lite", "--storage", uri).Output.Trim().Split('\n').Length);
    }
}
