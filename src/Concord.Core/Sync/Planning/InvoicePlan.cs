using System.Data.Common;
using System.Globalization;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Sync.Planning;

/// <summary>
/// One operational invoice in a plan (O3): where it posts and why, or why it waits. A 1:1 invoice
/// whose account customer this run creates or links has no ledger account yet: the run finds it
/// once the customers are written (<see cref="AfterCustomers"/>).
/// </summary>
public sealed record InvoiceLine
{
    public required OperationalInvoice Invoice { get; init; }

    /// <summary>The account customer whose class decides (the customer itself, or the one it is linked to); null for an unlinked one.</summary>
    public string? AccountCustomer { get; init; }

    public string? Class { get; init; }

    /// <summary>"account" (1:1) or "generic".</summary>
    public string Posting { get; init; } = CustomerClass.AccountPosting;

    /// <summary>The ledger account it posts to, when known.</summary>
    public string? Account { get; init; }

    /// <summary>Who the line is for, when the account is not the customer's own: the operational customer, by code and name.</summary>
    public string? LineFor { get; init; }

    /// <summary>The account is the one this run creates or links for <see cref="AccountCustomer"/>.</summary>
    public bool AfterCustomers { get; init; }

    /// <summary>Why it cannot post yet (no link, the account customer not in accounting): it waits, and later runs look again.</summary>
    public string? Waits { get; init; }

    /// <summary>The ledger has it already under its source (a run that lost its answer): recorded, never posted again.</summary>
    public long? PostedBefore { get; init; }

    /// <summary>What the ledger said, before anything was written, it would refuse (a closed period, another currency).</summary>
    public UserError? WillBeRefused { get; set; }

    public string Record => $"invoice {Invoice.Number}";

    /// <summary>The run sends it (a refusal foreseen included: the ledger stays the authority, and the run reports what it says).</summary>
    public bool ToPost => Waits is null && PostedBefore is null;

    /// <summary>Whether --only or --skip names this line: its number, its customer or its account customer.</summary>
    public bool Names(string code) => Codes.Same(code, Invoice.Number) || Codes.Same(code, Invoice.Customer) || Codes.Same(code, AccountCustomer);

    /// <summary>The ledger posting, to <paramref name="account"/>.</summary>
    public Posting ToPosting(string account) =>
        new(account, Invoice.Kind, Invoice.Amount, Invoice.Date, Invoice.Reference ?? Invoice.Number, Invoice.Vat, LineFor, Invoice.Source, Invoice.Currency);
}

/// <summary>
/// Plans the operational invoices of a connection (O3): every invoice the connection has not
/// posted, with the class that decides where it goes. An account customer's class decides for its
/// own invoices and those of the operational customers linked to it: posting "account" (the
/// default) goes 1:1 to its ledger account as the correspondence table links it; "generic" goes to
/// the class's generic account with the operational customer named on the line. An operational
/// customer with no link posts only through a generic class of its own: never 1:1.
/// </summary>
public static class InvoicePlanner
{
    public static async Task AddAsync(Plan plan, DbConnection db, SyncConnection connection, IConnector accounting, CancellationToken cancellation)
    {
        if (connection.Direction == SyncDirection.FromAccounting)
        {
            return;
        }
        var rows = Unposted(db, connection.Id);
        if (rows.Count == 0)
        {
            return;
        }
        if (accounting.Invoices is not { } target)
        {
            plan.InvoicesNotTaken = $"{rows.Count:N0} operational {(rows.Count == 1 ? "invoice waits" : "invoices wait")}: {accounting.Kind} does not take invoices in this version";
            return;
        }
        var classes = CustomerClassService.All(db, null).ToDictionary(c => c.Code, Codes.Comparer);
        var linkedByRun = LinkedByRun(plan);
        var lines = rows.Select(r => Resolve(r, classes, linkedByRun)).ToList();
        var posted = await target.PostedAsync([.. lines.Select(l => l.Invoice.Source)], cancellation).ConfigureAwait(false);
        lines = [.. lines.Select(l => posted.TryGetValue(l.Invoice.Source, out var found) ? Found(l, found) : l)];
        var known = lines.Where(l => l.Waits is null && l.PostedBefore is null && l.WillBeRefused is null && l.Account is not null).ToList();
        foreach (var chunk in known.Chunk(500))
        {
            var refusals = await target.WouldRefuseAsync([.. chunk.Select(l => (l.Record, l.ToPosting(l.Account!)))], cancellation).ConfigureAwait(false);
            for (var k = 0; k < chunk.Length; k++)
            {
                chunk[k].WillBeRefused = refusals[k];
            }
        }
        plan.Invoices.AddRange(lines);
    }

    /// <summary>
    /// An invoice whose source the ledger holds: this invoice posted before (recorded, not posted
    /// again), or another posting under its number (refused). Only a line whose account is known
    /// can be told to be the same; a line whose account this run makes is sent, and the ledger
    /// tells then, with the account; a line that waits goes on waiting.
    /// </summary>
    private static InvoiceLine Found(InvoiceLine line, LedgerTransaction found)
    {
        if (line.Account is { } account)
        {
            return found.Refuses(line.Record, line.ToPosting(account)) is { } taken ? line with { WillBeRefused = taken } : line with { PostedBefore = found.Id };
        }
        return line.AfterCustomers && found.Refuses(line.Record, line.ToPosting(found.Named ?? found.Account)) is { } differs ? line with { WillBeRefused = differs } : line;
    }

    /// <summary>The account customers (operational codes, as keys) this run creates in accounting or links.</summary>
    private static HashSet<string> LinkedByRun(Plan plan)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in plan.Worked)
        {
            if (line.OperationalCode is { } code && (line.Kind == LineKind.CreateInAccounting || line.NewLink))
            {
                keys.Add(Codes.Key(code));
            }
        }
        foreach (var pair in plan.Agreeing.Where(p => p.Match != MatchRule.Correspondence))
        {
            keys.Add(Codes.Key(pair.OperationalCode));
        }
        return keys;
    }

    private static InvoiceLine Resolve(UnpostedRow row, Dictionary<string, CustomerClass> classes, HashSet<string> linkedByRun)
    {
        var invoice = row.Invoice;
        var customer = row.Customer;
        CustomerClass? ClassOf(string? code) => code is null ? null : classes.GetValueOrDefault(code);
        if (row.AccountCustomer is not { } accountCustomer)
        {
            var own = ClassOf(row.CustomerClass);
            return own is { IsGeneric: true }
                ? new InvoiceLine { Invoice = invoice, Class = own.Code, Posting = own.Posting, Account = own.GenericAccount, LineFor = Named(customer, row.CustomerName) }
                : new InvoiceLine
                {
                    Invoice = invoice,
                    Class = own?.Code,
                    Waits = $"{customer} is an operational customer with no link to an account customer, so it cannot post 1:1; " +
                        $"link it with '{CommandHint.For($"customers link {CommandHint.Quote(customer)} ACCOUNT-CODE")}' or give it a generic class",
                };
        }
        var customerClass = ClassOf(row.AccountCustomerClass);
        var lineFor = Codes.Same(customer, accountCustomer) ? null : Named(customer, row.CustomerName);
        if (customerClass is { IsGeneric: true })
        {
            return new InvoiceLine
            {
                Invoice = invoice, AccountCustomer = accountCustomer, Class = customerClass.Code, Posting = customerClass.Posting,
                Account = customerClass.GenericAccount, LineFor = Named(customer, row.CustomerName),
            };
        }
        var line = new InvoiceLine { Invoice = invoice, AccountCustomer = accountCustomer, Class = customerClass?.Code, LineFor = lineFor };
        if (row.LinkOption == "never")
        {
            return line with { Waits = $"account customer {accountCustomer} is marked never sync in this connection" };
        }
        if (row.LinkedAccount is { } account)
        {
            return line with { Account = account };
        }
        if (linkedByRun.Contains(Codes.Key(accountCustomer)))
        {
            return line with { AfterCustomers = true };
        }
        return line with
        {
            Waits = !row.AccountCustomerSyncs
                ? $"account customer {accountCustomer} does not sync to accounting (its sync-to-accounting flag is off)"
                : $"account customer {accountCustomer} is not in accounting yet; it waits for its account (see the customer lines)",
        };
    }

    /// <summary>The operational customer as a ledger line names it: "CODE Name", at most 60 characters.</summary>
    private static string Named(string code, string? name)
    {
        var text = name is null ? code : $"{code} {name}";
        var info = new StringInfo(text);
        return info.LengthInTextElements <= 60 ? text : info.SubstringByTextElements(0, 60);
    }

    private sealed record UnpostedRow(OperationalInvoice Invoice, string Customer, string? CustomerName, string? CustomerClass,
        string? AccountCustomer, string? AccountCustomerClass, bool AccountCustomerSyncs, string? LinkedAccount, string? LinkOption);

    /// <summary>The invoices the connection has not posted, with their customer, the account customer that decides, and its link.</summary>
    private static List<UnpostedRow> Unposted(DbConnection db, long connectionId)
    {
        using var command = Sql.Command(db, null,
            $"SELECT {OperationalInvoice.Columns}, c.code, c.name, c.customer_class, a.code, a.customer_class, a.sync_to_accounting, l.accounting_code, l.sync_option " +
            "FROM operational_invoices i " +
            "JOIN customers c ON c.code = i.customer " +
            "LEFT JOIN customers a ON a.kind = 'account' AND ((c.kind = 'account' AND a.id = c.id) OR (c.kind <> 'account' AND a.code = c.account)) " +
            "LEFT JOIN sync_links l ON l.connection_id = @c AND l.operational_key = a.code_key " +
            "WHERE NOT EXISTS (SELECT 1 FROM invoice_postings p WHERE p.connection_id = @c AND p.invoice_id = i.id) ORDER BY i.id",
            ("c", connectionId));
        using var reader = command.ExecuteReader();
        var rows = new List<UnpostedRow>();
        while (reader.Read())
        {
            rows.Add(new UnpostedRow(OperationalInvoice.Read(reader), reader.GetString(11), reader.TextOrNull(12), reader.TextOrNull(13),
                reader.TextOrNull(14), reader.TextOrNull(15), !reader.IsDBNull(16) && reader.GetBoolean(16), reader.TextOrNull(17), reader.TextOrNull(18)));
        }
        return rows;
    }
}
