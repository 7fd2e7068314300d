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

    // A pure-shell objective: logs each call, waits a little, prints a score that depends on the trial number.
    private string Objective(double sleepSeconds)
    {
        var log = _temp.File("calls.log");
        return $"cat > /dev/null; echo call >> '{log}'; sleep {sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; awk 'BEGIN {{ srand(); print rand() }}'";
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
        using (var process = CliProcess.Start("optimize", "--space", Space(), "--objective-command", Objective(0.4), "--budget", budget.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "--storage", db, "--name", "k"))
        {
            // Kill while a trial is running, after at least three have completed.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                var trials = File.Exists(db) ? SafeTrials(db) : [];
                if (trials.Count(t => t.State == "Complete") >= 3 && trials.Any(t => t.State == "Running"))
                {
                    break;
                }

                Thread.Sleep(50);
            }

            process.Kill();
        }

        var afterKill = Trials(db);
        Assert.Contains(afterKill, t => t.State == "Running");
        Assert.True(afterKill.Count(t => t.State == "Complete") < budget);

        var resumed = CliRunner.Run("optimize", "--resume", "k", "--storage", db);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var final = Trials(db);
        Assert.Equal(budget, final.Count);
        Assert.Equal(Enumerable.Range(0, budget), final.Select(t => t.Number));
        Assert.All(final, t => Assert.Equal("Complete", t.State));
        var interrupted = afterKill.First(t => t.State == "Running").Number;
        Assert.Equal(2, final.Single(t => t.Number == interrupted).Attempts);
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
