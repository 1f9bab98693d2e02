using System.Data.Common;
using System.Globalization;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Ledger;

/// <summary>
/// The ledger's financial year (L7): twelve monthly periods from its start. Transactions may be
/// dated from the first open period on; End of Period closes a period that has ended, and year end
/// starts the next year (turnover counts from the year's start, so it is cleared then).
/// </summary>
public sealed record FinancialYear(DateOnly Start, DateOnly OpenFrom, int DebtorDaysPeriods)
{
    public const string StartSetting = "ledger-year-start";
    public const string OpenFromSetting = "ledger-open-from";
    public const string DebtorDaysSetting = "ledger-debtor-days-periods";
    public const int Periods = 12;

    /// <summary>Whether the year was read from the store (false: the default, until the first posting fixes it).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Stored { get; init; }

    /// <summary>The last day of the year.</summary>
    public DateOnly End => Start.AddMonths(Periods).AddDays(-1);

    /// <summary>The latest date a transaction may carry: the end of the next financial year.</summary>
    public DateOnly LatestDate => Start.AddMonths(2 * Periods).AddDays(-1);

    /// <summary>The first day of the period that holds <paramref name="date"/> (periods run on before and after this year).</summary>
    public DateOnly PeriodStart(DateOnly date)
    {
        var months = (date.Year - Start.Year) * 12 + date.Month - Start.Month;
        var start = Start.AddMonths(months);
        return start > date ? Start.AddMonths(months - 1) : start;
    }

    /// <summary>The year's periods: number, first and last day, and whether each is closed.</summary>
    public IReadOnlyList<Period> List() =>
        [.. Enumerable.Range(0, Periods).Select(i => new Period(i + 1, Start.AddMonths(i), Start.AddMonths(i + 1).AddDays(-1), Start.AddMonths(i + 1) <= OpenFrom))];

    /// <summary>Refuses a transaction date in a closed period or past the next financial year.</summary>
    public void CheckDate(DateOnly date, string record)
    {
        if (date < OpenFrom)
        {
            throw new UserError(record, "date", $"{Text(date)} is in a closed period; transactions are dated from {Text(OpenFrom)} on");
        }
        if (date > LatestDate)
        {
            throw new UserError(record, "date", $"{Text(date)} is after the next financial year (it ends {Text(LatestDate)}); run year end first");
        }
    }

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses a date given as YYYY-MM-DD for <paramref name="record"/>'s <paramref name="field"/>.</summary>
    public static DateOnly ParseDate(string raw, string record, string field = "date") =>
        DateOnly.TryParseExact(raw.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UserError(record, field, $"'{raw}' is not a date (use YYYY-MM-DD, e.g. 2026-03-31)");

    /// <summary>The year as stored; before any is stored, the calendar year of <paramref name="today"/>.</summary>
    public static FinancialYear Read(DbConnection connection, DbTransaction? transaction, DateOnly today)
    {
        var stored = Settings.Get(connection, transaction, StartSetting, OpenFromSetting, DebtorDaysSetting);
        var start = stored.TryGetValue(StartSetting, out var first) ? DateOnly.ParseExact(first, "yyyy-MM-dd", CultureInfo.InvariantCulture) : new DateOnly(today.Year, 1, 1);
        var openFrom = stored.TryGetValue(OpenFromSetting, out var open) ? DateOnly.ParseExact(open, "yyyy-MM-dd", CultureInfo.InvariantCulture) : start;
        var periods = stored.TryGetValue(DebtorDaysSetting, out var days) ? int.Parse(days, CultureInfo.InvariantCulture) : 3;
        return new FinancialYear(start, openFrom, periods) { Stored = stored.ContainsKey(StartSetting) };
    }

    /// <summary>Stores the year (the first posting fixes it, so that the calendar turning over does not start a new year by itself).</summary>
    public void Save(DbConnection connection, DbTransaction transaction)
    {
        Settings.Set(connection, transaction, StartSetting, Text(Start));
        Settings.Set(connection, transaction, OpenFromSetting, Text(OpenFrom));
        Settings.Set(connection, transaction, DebtorDaysSetting, DebtorDaysPeriods.ToString(CultureInfo.InvariantCulture));
    }

    public static FinancialYear Read(Session session)
    {
        using var connection = session.Database.OpenConnection();
        return Read(connection, null, Today(session));
    }

    public static DateOnly Today(Session session) => DateOnly.FromDateTime(session.Now.UtcDateTime);

    /// <summary>
    /// Sets where the financial year starts and over how many periods debtor days are averaged
    /// (supervisor). The start can change only while nothing is posted.
    /// </summary>
    public static FinancialYear Configure(Session session, DateOnly? start, int? debtorDaysPeriods)
    {
        session.Require(Role.Supervisor, "set the financial year");
        if (debtorDaysPeriods is < 1 or > 24)
        {
            throw new UserError("financial year", "debtor-days-periods", $"{debtorDaysPeriods} is not 1 to 24 periods");
        }
        return session.Database.InTransaction((connection, transaction) =>
        {
            var year = Read(connection, transaction, Today(session));
            var changed = year with { DebtorDaysPeriods = debtorDaysPeriods ?? year.DebtorDaysPeriods };
            if (start is { } first && first != year.Start)
            {
                var posted = Sql.Scalar<long>(connection, transaction, "SELECT COUNT(*) FROM ledger_transactions");
                if (posted > 0)
                {
                    throw new UserError("financial year", "start", $"cannot move once transactions are posted ({posted} are); the year moves on by year end");
                }
                changed = changed with { Start = first, OpenFrom = first };
            }
            changed.Save(connection, transaction);
            session.Audit.Write(connection, transaction, "update", "financial-year", "current",
                System.Text.Json.JsonSerializer.Serialize(year), System.Text.Json.JsonSerializer.Serialize(changed));
            return changed;
        });
    }

    /// <summary>Closes every period that ended before <paramref name="today"/> (End of Period); the year's last one stays for year end.</summary>
    internal FinancialYear CloseEndedPeriods(DateOnly today)
    {
        var open = OpenFrom;
        while (open.AddMonths(1) <= today && open.AddMonths(1) <= End)
        {
            open = open.AddMonths(1);
        }
        return this with { OpenFrom = PeriodStart(open) };
    }

    /// <summary>
    /// Year end (supervisor): once the year's last day has passed, closes its periods and starts
    /// the next year; turnover then counts from the new start. Nothing is written unless <paramref name="apply"/>.
    /// </summary>
    public static (FinancialYear Ended, FinancialYear Next) YearEnd(Session session, bool apply)
    {
        session.Require(Role.Supervisor, "run year end");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var today = Today(session);
            var year = Read(connection, transaction, today);
            if (today <= year.End)
            {
                throw new UserError("financial year", null, $"{Text(year.Start)} to {Text(year.End)} has not ended; year end can run from {Text(year.End.AddDays(1))}");
            }
            var next = new FinancialYear(year.Start.AddMonths(Periods), year.Start.AddMonths(Periods), year.DebtorDaysPeriods);
            if (apply)
            {
                next.Save(connection, transaction);
                session.Audit.Write(connection, transaction, "year-end", "financial-year", Text(year.Start),
                    System.Text.Json.JsonSerializer.Serialize(year), System.Text.Json.JsonSerializer.Serialize(next));
            }
            return (year, next);
        });
    }
}

/// <summary>One period of the financial year.</summary>
public sealed record Period(int Number, DateOnly From, DateOnly To, bool Closed);
