using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Concord.Store;
using Microsoft.Data.Sqlite;

namespace Concord.Bench;

/// <summary>
/// The Tryton connector's targets (issue 9), against a real trytond (scripts/tryton.sh), each
/// beside its baseline measured in the same run on a fresh database of its own:
/// push — N customers created by a real `sync run` vs the same creates sent as raw batched
/// JSON-RPC calls; read — the preview of a first sync over M parties vs a raw paged search_read
/// of the same fields.
/// </summary>
public static class TrytonBenchmark
{
    private const string Company = "Concord Test Company";   // what scripts/tryton.sh sets up
    private const int CreateBatch = 200;                     // TrytonConnector.WriteBatch: parties per create call
    private const int PageSize = 500;                        // TrytonConnector.PageSize: parties per search_read
    private const int Seed = 1000;                           // parties created over JSON-RPC before the database is multiplied

    // TrytonParty.Fields (internal to the connector): what the connector's search_read asks for.
    private static readonly string[] Fields =
    [
        "code", "name", "active", "create_date", "write_date", "credit_limit_amount",
        "identifiers.type", "identifiers.code", "identifiers.create_date", "identifiers.write_date",
        "addresses.street", "addresses.postal_code", "addresses.city", "addresses.invoice", "addresses.country.code",
        "addresses.create_date", "addresses.write_date",
        "contact_mechanisms.type", "contact_mechanisms.value", "contact_mechanisms.create_date", "contact_mechanisms.write_date",
    ];

    /// <param name="server">scripts/tryton.sh's line URL;DATABASE;USER;PASSWORD-FILE;SQLITE-FILE of a running trytond, or null to start one.</param>
    public static int Run(int push, int read, string? server, string? part, bool profile = false)
    {
        Concord.Connectors.ExternalConnectors.Register();
        using var wire = profile ? new HttpProfile() : null;
        _wire = wire;
        var work = Path.Combine(Path.GetTempPath(), "concord-trytonbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var started = server is null;
        try
        {
            server ??= Script("start", Path.Combine(work, "tryton"));
            var tryton = new Server(server);
            Console.WriteLine($"# Concord Tryton benchmark: {push:N0} customers pushed, {read:N0} parties read, {Environment.ProcessorCount} cores, .NET {Environment.Version}, trytond {tryton.Url}");
            if (part is null or "push")
            {
                Push(work, tryton, push);
            }
            if (part is null or "read")
            {
                Read(work, tryton, read);
            }
            return 0;
        }
        finally
        {
            if (started && server is not null)
            {
                Script("stop", Path.Combine(work, "tryton"));
            }
            SqliteConnection.ClearAllPools();
            if (Environment.GetEnvironmentVariable("CONCORD_BENCH_KEEP") is null)
            {
                Directory.Delete(work, recursive: true);
            }
            else
            {
                Console.WriteLine($"kept {work}");
            }
        }
    }

    private static HttpProfile? _wire;

    /// <summary>With --profile: the calls <paramref name="what"/> made, by method.</summary>
    private static void Calls(string what)
    {
        if (_wire is not null)
        {
            Console.WriteLine($"calls of {what}:");
            foreach (var line in _wire.Report())
            {
                Console.WriteLine(line);
            }
            _wire.Reset();
        }
    }

    private static void Push(string work, Server tryton, int n)
    {
        // Concord: a store with N new account customers, a connection to a fresh database, one `sync run`.
        var ours = tryton.FreshDatabase("pushconcord");
        var session = Store(Path.Combine(work, "push"), tryton, ours, "to-accounting");
        FillStore(session.Database, n);
        using (new RawTryton(tryton.Url, ours, tryton.User, tryton.Password)) { }   // trytond loads the database now, not in the timing
        _wire?.Reset();
        var run = Time(() => new SyncEngine(session).Run("bench", new RunOptions { Company = Company }));
        Calls("the sync run");
        var report = run.Result;
        Console.WriteLine($"push, Concord | sync run: {run.Seconds:F1} s (plan {report.PlanTime.TotalSeconds:F1} s, apply {report.ApplyTime.TotalSeconds:F1} s): " +
            $"{report.Created:N0} created, {report.Updated:N0} updated, {report.Errors:N0} errors, {report.Created / run.Seconds:N0} records/s");
        var stored = Count(tryton, ours);

        // Baseline: the same parties as raw create calls of the same size into another fresh database.
        var theirs = tryton.FreshDatabase("pushraw");
        using (new RawTryton(tryton.Url, theirs, tryton.User, tryton.Password)) { }
        _wire?.Reset();
        var raw = Time(() =>
        {
            using var client = new RawTryton(tryton.Url, theirs, tryton.User, tryton.Password);
            var za = Country(client, "ZA");
            return CreateParties(client, 0, n, CreateBatch, za);
        });
        Calls("the baseline");
        Console.WriteLine($"push, baseline | raw model.party.party.create, {CreateBatch} parties a call: {raw.Seconds:F1} s, {raw.Result:N0} created, {raw.Result / raw.Seconds:N0} records/s");
        var ratio = report.Created / run.Seconds / (raw.Result / raw.Seconds);
        Console.WriteLine($"push | ratio {ratio:P1} (target >= 80 %); parties in Tryton after the sync: {stored:N0}");
    }

    private static void Read(string work, Server tryton, int m)
    {
        var fill = Stopwatch.StartNew();
        var database = FillTryton(tryton, m);
        Console.WriteLine($"read, data | {m:N0} parties in database {database}: {fill.Elapsed.TotalSeconds:F1} s ({Math.Min(Seed, m):N0} created over JSON-RPC, the rest copied from them in the SQLite file)");
        using (new RawTryton(tryton.Url, database, tryton.User, tryton.Password)) { }

        _wire?.Reset();
        var raw = Time(() => RawRead(tryton, database));
        Calls("the baseline");
        Console.WriteLine($"read, baseline | raw model.party.party.search_read of the connector's {Fields.Length} fields, {PageSize} a page by id: {raw.Seconds:F1} s, {raw.Result:N0} parties, {raw.Result / raw.Seconds:N0} records/s");

        var session = Store(Path.Combine(work, "read"), tryton, database, "both");
        var preview = Time(() => new SyncEngine(session).Preview("bench", full: true));
        var plan = preview.Result.Plan;
        Calls("the preview");
        Console.WriteLine($"read, Concord | sync preview of the first sync: {preview.Seconds:F1} s, {plan.AccountingRead:N0} parties read, {plan.AccountingRead / preview.Seconds:N0} records/s, " +
            $"{plan.Lines.Count():N0} lines (match {plan.MatchTime.TotalSeconds:F1} s)");
        Console.WriteLine($"read | ratio {plan.AccountingRead / preview.Seconds / (raw.Result / raw.Seconds):P1}");
    }

    /// <summary>A fresh store whose connection "bench" goes to <paramref name="database"/> on the benchmark's trytond.</summary>
    private static Session Store(string folder, Server tryton, string database, string direction) =>
        Store(folder, $"tryton:url={tryton.Url};database={database};user={tryton.User};password={tryton.Password}", direction);

    /// <summary>A fresh store (site BENCH, ZAR, ZA) whose connection "bench" goes to <paramref name="accounting"/>.</summary>
    internal static Session Store(string folder, string accounting, string direction)
    {
        var store = Database.Create(folder, null, TimeProvider.System);
        var users = new UserDirectory(store, TimeProvider.System);
        var session = new Session(store, users.Resolve(users.EnsureFirstUser()), TimeProvider.System);
        new SiteService(session).Add("BENCH", "Benchmark");
        var reference = new ReferenceService(session);
        reference.Add("currency", "ZAR", "Rand");
        reference.Add("country", "ZA", "South Africa");
        new ConnectionService(session).Add("bench", new ConnectionSettings
        {
            Site = "BENCH",
            Direction = direction,
            Accounting = accounting,
        });
        return session;
    }

    internal static (string Code, string Name, string Vat, string Address, string Postcode, string Phone, string Email) Customer(long i) =>
        ($"N{i:D7}", $"New customer {i}", SyncData.Vat(30_000_000 + i), $"{i} Main Road, Durban", "4001", "031 000 0000", $"c{i}@example.co.za");

    internal const decimal CreditLimit = 500m;

    internal static void FillStore(Database database, int count) =>
        SyncData.WriteCustomers(database, count, (i, now) =>
        {
            var c = Customer(i);
            return new OperationalCustomer
            {
                Code = c.Code,
                Kind = OperationalCustomer.AccountKind,
                Site = "BENCH",
                SyncToAccounting = true,
                Active = true,
                Name = c.Name,
                Vat = c.Vat,
                Address = c.Address,
                Postcode = c.Postcode,
                Country = "ZA",
                Phone = c.Phone,
                Email = c.Email,
                CreditLimit = CreditLimit,
                CreatedAt = now,
                ModifiedAt = now,
            };
        });

    /// <summary>Customers <paramref name="from"/>.. as model.party.party.create calls of <paramref name="batch"/>, in the payload shape the connector sends.</summary>
    private static long CreateParties(RawTryton client, long from, long count, int batch, int country)
    {
        long created = 0;
        for (var start = from; start < from + count; start += batch)
        {
            var end = Math.Min(start + batch, from + count);
            using var answer = client.Model("party.party", "create", w =>
            {
                w.WriteStartArray();
                for (var i = start; i < end; i++)
                {
                    var c = Customer(i);
                    w.WriteStartObject();
                    w.WriteString("name", c.Name);
                    w.WriteBoolean("active", true);
                    w.WriteString("code", c.Code);
                    w.WriteStartObject("credit_limit_amount");
                    w.WriteString("__class__", "Decimal");
                    w.WriteString("decimal", CreditLimit.ToString("F2", CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                    Create(w, "identifiers", () =>
                    {
                        w.WriteStartObject();
                        w.WriteNull("type");
                        w.WriteString("code", c.Vat);
                        w.WriteEndObject();
                    });
                    Create(w, "addresses", () =>
                    {
                        w.WriteStartObject();
                        w.WriteBoolean("invoice", true);
                        w.WriteString("street", c.Address);
                        w.WriteNull("city");
                        w.WriteString("postal_code", c.Postcode);
                        w.WriteNumber("country", country);
                        w.WriteEndObject();
                    });
                    Create(w, "contact_mechanisms", () =>
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "phone");
                        w.WriteString("value", c.Phone);
                        w.WriteEndObject();
                        w.WriteStartObject();
                        w.WriteString("type", "email");
                        w.WriteString("value", c.Email);
                        w.WriteEndObject();
                    });
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            created += answer.RootElement.GetProperty("result").GetArrayLength();
        }
        return created;
    }

    // A one2many's ["create", [records]] action.
    private static void Create(Utf8JsonWriter w, string field, Action records)
    {
        w.WriteStartArray(field);
        w.WriteStartArray();
        w.WriteStringValue("create");
        w.WriteStartArray();
        records();
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteEndArray();
    }

    /// <summary>The baseline of reading: the connector's search_read (same domain, fields, order and pages), each answer parsed once.</summary>
    private static long RawRead(Server tryton, string database)
    {
        using var client = new RawTryton(tryton.Url, database, tryton.User, tryton.Password);
        var companies = new List<int>();
        using (var rows = client.Model("company.company", "search_read", w =>
        {
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteNumberValue(0);
            w.WriteNullValue();
            w.WriteNullValue();
            w.WriteStartArray();
            w.WriteStringValue("party");
            w.WriteEndArray();
        }, activeTest: false))
        {
            companies.AddRange(rows.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("party").GetInt32()));
        }
        long count = 0;
        var last = 0;
        while (true)
        {
            using var page = client.Model("party.party", "search_read", w =>
            {
                w.WriteStartArray();
                w.WriteStartArray();
                w.WriteStringValue("id");
                w.WriteStringValue("not in");
                w.WriteStartArray();
                companies.ForEach(w.WriteNumberValue);
                w.WriteEndArray();
                w.WriteEndArray();
                w.WriteStartArray();
                w.WriteStringValue("id");
                w.WriteStringValue(">");
                w.WriteNumberValue(last);
                w.WriteEndArray();
                w.WriteEndArray();
                w.WriteNumberValue(0);
                w.WriteNumberValue(PageSize);
                w.WriteStartArray();
                w.WriteStartArray();
                w.WriteStringValue("id");
                w.WriteStringValue("ASC");
                w.WriteEndArray();
                w.WriteEndArray();
                w.WriteStartArray();
                foreach (var field in Fields)
                {
                    w.WriteStringValue(field);
                }
                w.WriteEndArray();
            }, activeTest: false);
            var rows = page.RootElement.GetProperty("result");
            foreach (var row in rows.EnumerateArray())
            {
                last = row.GetProperty("id").GetInt32();
                count++;
            }
            if (rows.GetArrayLength() < PageSize)
            {
                return count;
            }
        }
    }

    /// <summary>
    /// A fresh database with <paramref name="m"/> customer parties: the first <see cref="Seed"/> created
    /// over JSON-RPC (party, identifier, address, phone and e-mail, credit limit, and the rows Tryton
    /// adds itself), the rest copies of their rows in the SQLite file with new ids, codes, VAT numbers,
    /// streets and e-mail addresses — made before trytond opens that database.
    /// </summary>
    private static string FillTryton(Server tryton, int m)
    {
        var seed = tryton.FreshDatabase("seed");
        var first = 0L;
        using (var client = new RawTryton(tryton.Url, seed, tryton.User, tryton.Password))
        {
            var za = Country(client, "ZA");
            CreateParties(client, 1_000_000, Math.Min(Seed, m), 1000, za);
        }
        var database = tryton.FreshDatabase("read");
        var file = tryton.File(database);
        using (var source = new SqliteConnection($"Data Source={tryton.File(seed)};Pooling=False"))
        using (var target = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
        if (m <= Seed)
        {
            return database;
        }
        using var db = new SqliteConnection($"Data Source={file};Pooling=False");
        db.Open();
        first = Scalar(db, "SELECT MIN(party) FROM party_identifier");
        var parties = Scalar(db, "SELECT MAX(id) FROM party_party");
        var seeded = Scalar(db, "SELECT COUNT(*) FROM party_party WHERE id >= @first", first);
        var tables = new List<string>();
        using (var list = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'party%'", db).ExecuteReader())
        {
            while (list.Read())
            {
                tables.Add(list.GetString(0));
            }
        }
        var copied = tables.Select(t => (Table: t, Columns: Columns(db, t), Span: Scalar(db, $"SELECT COALESCE(MAX(id), 0) FROM \"{t}\""))).ToList();
        using var transaction = db.BeginTransaction();
        foreach (var (table, columns, span) in copied)
        {
            var key = table == "party_party" ? "id" : columns.Contains("party") ? "party" : null;
            if (key is null)
            {
                continue;
            }
            // id and party move by a copy's offset; the values that identify a customer are made anew from the new party id.
            var party = table == "party_party" ? "(id + @parties)" : "(party + @parties)";
            string Expression(string column) => (table, column) switch
            {
                (_, "id") => "id + @span",
                (_, "party") => party,
                ("party_party", "code") => $"printf('R%07d', {party})",
                ("party_party", "name") => $"'Customer ' || {party}",
                ("party_identifier", "code") => $"'ZA' || (4100000000 + {party})",
                ("party_address", "street") => $"{party} || ' Main Road, Durban'",
                ("party_contact_mechanism", "value" or "value_compact") => $"CASE type WHEN 'email' THEN 'c' || {party} || '@example.co.za' ELSE {column} END",
                _ => $"\"{column}\"",
            };
            var sql = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                $"SELECT {string.Join(", ", columns.Select(Expression))} FROM \"{table}\" WHERE {key} >= @first AND {key} <= @last";
            for (var copy = 1L; copy * seeded < m; copy++)
            {
                // The last copy may be partial: only as many parties as are still missing.
                var take = Math.Min(seeded, m - copy * seeded);
                using var insert = new SqliteCommand(sql, db, transaction);
                insert.Parameters.AddWithValue("@span", copy * span);
                insert.Parameters.AddWithValue("@parties", copy * parties);
                insert.Parameters.AddWithValue("@first", first);
                insert.Parameters.AddWithValue("@last", first + take - 1);
                insert.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        return database;
    }

    private static List<string> Columns(SqliteConnection db, string table)
    {
        var columns = new List<string>();
        using var reader = new SqliteCommand($"PRAGMA table_info(\"{table}\")", db).ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(1));
        }
        return columns;
    }

    private static long Scalar(SqliteConnection db, string sql, long? first = null)
    {
        using var command = new SqliteCommand(sql, db);
        if (first is { } f)
        {
            command.Parameters.AddWithValue("@first", f);
        }
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static int Country(RawTryton client, string code)
    {
        using var found = client.Model("country.country", "search", w =>
        {
            w.WriteStartArray();
            w.WriteStartArray();
            w.WriteStringValue("code");
            w.WriteStringValue("=");
            w.WriteStringValue(code);
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteNumberValue(0);
            w.WriteNumberValue(1);
            w.WriteNullValue();
        });
        return found.RootElement.GetProperty("result")[0].GetInt32();
    }

    private static long Count(Server tryton, string database)
    {
        using var client = new RawTryton(tryton.Url, database, tryton.User, tryton.Password);
        using var count = client.Model("party.party", "search_count", w =>
        {
            w.WriteStartArray();
            w.WriteEndArray();
        });
        return count.RootElement.GetProperty("result").GetInt64();
    }

    private static string Script(string command, string folder)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "tryton.sh");
        var start = new ProcessStartInfo("bash", [script, command, folder]) { RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot run {script}");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {command} failed (exit {process.ExitCode}); see the logs in {folder}");
        }
        return output.Trim();
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "scripts", "tryton.sh")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("scripts/tryton.sh not found: run the benchmark from the repository");
    }

    private static (double Seconds, T Result) Time<T>(Func<T> work)
    {
        GC.Collect();
        var watch = Stopwatch.StartNew();
        var result = work();
        return (watch.Elapsed.TotalSeconds, result);
    }

    /// <summary>A trytond as scripts/tryton.sh describes it; a fresh database is its template copied under a new name.</summary>
    private sealed class Server
    {
        private readonly string _folder;

        public Server(string line)
        {
            var parts = line.Split(';');
            if (parts.Length != 5)
            {
                throw new ArgumentException("--tryton takes scripts/tryton.sh's line URL;DATABASE;USER;PASSWORD-FILE;SQLITE-FILE");
            }
            Url = new Uri(parts[0]);
            User = parts[2];
            Password = System.IO.File.ReadAllText(parts[3]).Trim();
            _folder = Path.GetDirectoryName(parts[4])!;
        }

        public Uri Url { get; }
        public string User { get; }
        public string Password { get; }

        public string File(string database) => Path.Combine(_folder, database + ".sqlite");

        public string FreshDatabase(string prefix)
        {
            var name = prefix + Guid.NewGuid().ToString("N")[..8];
            System.IO.File.Copy(Path.Combine(_folder, "template.sqlite"), File(name));
            return name;
        }
    }
}
