using System.Data.Common;
using System.Globalization;
using Concord.Core.Common;

namespace Concord.Core.Ledger;

/// <summary>
/// What accounts owe (L7), derived from their transactions: an account's standing (balance,
/// turnover, average debtor days, last invoice and receipt, aged balances) and the aged debt of
/// every account. Dormant accounts are left out of the report unless asked for (L8).
/// </summary>
public sealed class LedgerReports(Session session)
{
    // The age buckets as SQL over the items still outstanding: under 30 days, 30–59, 60–89, 90–119, 120 and more.
    private const string AgedSums =
        "SUM(CASE WHEN t.outstanding <> 0 AND t.posted_on > @d30 THEN t.outstanding ELSE 0 END), " +
        "SUM(CASE WHEN t.outstanding <> 0 AND t.posted_on <= @d30 AND t.posted_on > @d60 THEN t.outstanding ELSE 0 END), " +
        "SUM(CASE WHEN t.outstanding <> 0 AND t.posted_on <= @d60 AND t.posted_on > @d90 THEN t.outstanding ELSE 0 END), " +
        "SUM(CASE WHEN t.outstanding <> 0 AND t.posted_on <= @d90 AND t.posted_on > @d120 THEN t.outstanding ELSE 0 END), " +
        "SUM(CASE WHEN t.outstanding <> 0 AND t.posted_on <= @d120 THEN t.outstanding ELSE 0 END)";

    /// <summary>
    /// The transactions as they stood at the end of <paramref name="asOf"/> (all of them, as they are,
    /// when null): those posted by then, each outstanding by what was allocated to it by then, and
    /// reversed only when its reversal was posted by then. <paramref name="account"/> narrows it to one account.
    /// </summary>
    private static string Transactions(DateOnly? asOf, bool account) => asOf is null
        ? "ledger_transactions t"
        : "(SELECT t0.id, t0.account_key, t0.kind, t0.posted_on, t0.amount, t0.vat, t0.reverses, " +
          "CASE WHEN EXISTS (SELECT 1 FROM ledger_transactions r WHERE r.id = t0.reversed_by AND r.posted_on <= @asof) THEN t0.reversed_by END AS reversed_by, " +
          "t0.amount - COALESCE((SELECT SUM(a.amount) FROM ledger_allocations a WHERE a.debit_id = t0.id AND a.allocated_on <= @asof), 0) " +
          "+ COALESCE((SELECT SUM(a.amount) FROM ledger_allocations a WHERE a.credit_id = t0.id AND a.allocated_on <= @asof), 0) AS outstanding " +
          "FROM ledger_transactions t0 WHERE t0.posted_on <= @asof" + (account ? " AND t0.account_key = @k" : "") + ") t";

    /// <summary>The financial year that holds <paramref name="day"/>: the current one, or an earlier one of the same shape.</summary>
    private static (DateOnly Start, DateOnly End) YearOf(FinancialYear year, DateOnly day)
    {
        var start = year.Start;
        while (start > day)
        {
            start = start.AddYears(-1);
        }
        while (start.AddYears(1) <= day)
        {
            start = start.AddYears(1);
        }
        return (start, start.AddYears(1).AddDays(-1));
    }

    /// <summary>
    /// Where one account stands on <paramref name="asOf"/>: as it is today when not given; else as it
    /// stood at the end of that day (what was posted and allocated by then, that day's financial year).
    /// </summary>
    public AccountStanding Standing(string code, DateOnly? asOf = null)
    {
        using var connection = session.Database.OpenConnection();
        var today = asOf ?? FinancialYear.Today(session);
        var year = FinancialYear.Read(connection, null, FinancialYear.Today(session));
        var (yearStart, yearEnd) = asOf is null ? (year.Start, year.End) : YearOf(year, today);
        // Debtor days average the sales of the last periods, the one holding the day included (seed 004).
        var window = year.PeriodStart(year.PeriodStart(today).AddMonths(-(year.DebtorDaysPeriods - 1)));
        // The account and its figures in one statement: one round trip besides the year's settings.
        using var command = Sql.Command(connection, null,
            "SELECT a.code, a.name, a.currency, a.credit_limit, " + AgedSums + ", " +
            "SUM(CASE WHEN t.kind IN ('invoice', 'credit') AND t.posted_on >= @ys AND t.posted_on <= @ye THEN t.amount - t.vat ELSE 0 END), " +
            "SUM(CASE WHEN t.kind IN ('invoice', 'credit') AND t.posted_on >= @ws AND t.posted_on <= @asof THEN t.amount ELSE 0 END), " +
            "MAX(CASE WHEN t.kind = 'invoice' AND t.reverses IS NULL AND t.reversed_by IS NULL THEN t.posted_on END), " +
            "MAX(CASE WHEN t.kind = 'receipt' AND t.reverses IS NULL AND t.reversed_by IS NULL THEN t.posted_on END), " +
            "SUM(CASE WHEN t.outstanding <> 0 THEN 1 ELSE 0 END), SUM(t.amount) " +
            $"FROM ledger_accounts a LEFT JOIN {Transactions(asOf, account: true)} ON t.account_key = a.code_key " +
            "WHERE a.code_key = @k GROUP BY a.code, a.name, a.currency, a.credit_limit",
            [.. Ages(today), ("ys", FinancialYear.Text(yearStart)), ("ye", FinancialYear.Text(yearEnd)), ("ws", FinancialYear.Text(window)),
             ("asof", FinancialYear.Text(today)), ("k", Codes.Key(code.Trim()))]);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new UserError($"account {code}", null, "does not exist in the ledger");
        }
        var currency = Currency.Of(reader.TextOrNull(2));
        const int at = 4;
        long Minor(int column) => reader.IsDBNull(at + column) ? 0 : reader.GetInt64(at + column);
        var aged = Aged(reader, currency, at);
        var balance = currency.FromMinor(Minor(10));
        var sales = currency.FromMinor(Minor(6));
        var days = today.DayNumber - window.DayNumber + 1;
        // Balance over average daily sales; none without sales to average.
        decimal? debtorDays = sales > 0 ? decimal.Round(Math.Max(balance, 0m) / (sales / days), 1) : null;
        return new AccountStanding(reader.GetString(0), reader.GetString(1), currency, balance, Money.FromCents(reader.GetInt64(3)), currency.FromMinor(Minor(5)), debtorDays,
            Date(reader, at + 7), Date(reader, at + 8), aged, (int)Minor(9));
    }

    /// <summary>The aged debt of every account that owes or is owed something, by code: today, or at the end of <paramref name="asOf"/>.</summary>
    public IReadOnlyList<AgedLine> Aged(DateOnly? asOf = null, bool includeDormant = false)
    {
        using var connection = session.Database.OpenConnection();
        var today = asOf ?? FinancialYear.Today(session);
        using var command = Sql.Command(connection, null,
            "SELECT a.code, a.name, a.currency, x.* FROM (SELECT t.account_key, " + AgedSums +
            $" FROM {Transactions(asOf, account: false)} WHERE t.outstanding <> 0 GROUP BY t.account_key) x JOIN ledger_accounts a ON a.code_key = x.account_key" +
            (includeDormant ? "" : " WHERE NOT a.dormant") + " ORDER BY a.code_key",
            [.. Ages(today), ("asof", FinancialYear.Text(today))]);
        using var reader = command.ExecuteReader();
        var lines = new List<AgedLine>();
        while (reader.Read())
        {
            var currency = Currency.Of(reader.TextOrNull(2));
            lines.Add(new AgedLine(reader.GetString(0), reader.GetString(1), currency, Aged(reader, currency, 4)));
        }
        return lines;
    }

    /// <summary>Totals of aged lines per currency (amounts in different currencies are never added).</summary>
    public static IReadOnlyList<AgedLine> Totals(IEnumerable<AgedLine> lines) =>
        [.. lines.GroupBy(l => l.Currency.Code ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new AgedLine("total", g.First().Currency.Code ?? "", g.First().Currency,
            new AgedBalances(g.Sum(l => l.Aged.Current), g.Sum(l => l.Aged.Days30), g.Sum(l => l.Aged.Days60), g.Sum(l => l.Aged.Days90), g.Sum(l => l.Aged.Days120))))];

    private static (string, object?)[] Ages(DateOnly today) =>
        [("d30", FinancialYear.Text(today.AddDays(-30))), ("d60", FinancialYear.Text(today.AddDays(-60))),
         ("d90", FinancialYear.Text(today.AddDays(-90))), ("d120", FinancialYear.Text(today.AddDays(-120)))];

    private static AgedBalances Aged(DbDataReader reader, Currency currency, int first = 0)
    {
        decimal At(int column) => reader.IsDBNull(first + column) ? 0m : currency.FromMinor(reader.GetInt64(first + column));
        return new AgedBalances(At(0), At(1), At(2), At(3), At(4));
    }

    private static DateOnly? Date(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateOnly.ParseExact(reader.GetString(column), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
