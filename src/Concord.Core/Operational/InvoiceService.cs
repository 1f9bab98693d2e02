using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Users;

namespace Concord.Core.Operational;

/// <summary>
/// The operational side's invoices and credit notes (O3): added one at a time or by a whole file,
/// all checked first; listed with where each stands with every connection. A stored invoice is
/// never changed: a sync posts it as it is, once.
/// </summary>
public sealed class InvoiceService(Session session)
{
    private static readonly string[] InsertColumns =
        ["number", "number_key", "kind", "customer", "issued_on", "currency", "amount", "vat", "reference", "created_at", "created_by"];

    public OperationalInvoice Add(InvoiceInput input)
    {
        var (added, _) = AddMany([($"invoice {input.Number}", null, input)]);
        return added.Count == 1 ? added[0] : throw new UserError($"invoice {input.Number}", "number", "exists already with the same values; nothing was added");
    }

    /// <summary>
    /// Adds many invoices in one store transaction, all or nothing: every one is checked first and
    /// every error is reported together, naming its record, line and field. An invoice whose number
    /// exists already with the same values is left as it is (a file imported again); with other
    /// values it is an error. Returns those added and how many were there already.
    /// </summary>
    /// <param name="found">errors found before (lines of a file that could not be read): reported with these, and nothing is added.</param>
    public (IReadOnlyList<OperationalInvoice> Added, int AlreadyThere) AddMany(IReadOnlyList<(string Record, int? Line, InvoiceInput Input)> inputs, IReadOnlyList<RecordError>? found = null)
    {
        session.Require(Role.Clerk, "add invoices");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var errors = new List<RecordError>(found ?? []);
            var customers = CustomerService.Table.Existing(connection, transaction, inputs.Select(i => i.Input.Customer.Trim()));
            var stored = Stored(connection, transaction, inputs.Select(i => i.Input.Number.Trim()));
            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            var added = new List<OperationalInvoice>();
            var alreadyThere = 0;
            var now = session.Now;
            foreach (var (record, line, input) in inputs)
            {
                var invoice = Build(input, record, line, customers, now, errors);
                if (invoice is null)
                {
                    continue;
                }
                var key = Codes.Key(invoice.Number);
                if (!given.TryAdd(key, record))
                {
                    errors.Add(new RecordError(record, "number", $"'{invoice.Number}' is given twice (also {given[key]})", line));
                }
                else if (stored.TryGetValue(key, out var existing))
                {
                    if (Same(existing, invoice))
                    {
                        alreadyThere++;
                    }
                    else
                    {
                        errors.Add(new RecordError(record, "number", $"'{invoice.Number}' exists already with other values; an invoice is never changed (raise a credit note)", line));
                    }
                }
                else
                {
                    added.Add(invoice);
                }
            }
            RecordEditor.ThrowIfAny(errors);
            var at = Timestamps.Format(now);
            var ids = new List<long>(added.Count);
            foreach (var invoice in added)
            {
                ids.Add(Sql.ScalarRepeated<long>(connection, transaction,
                    $"INSERT INTO operational_invoices ({string.Join(", ", InsertColumns)}) VALUES ({string.Join(", ", InsertColumns.Select(c => "@" + c))}) RETURNING id",
                    ("number", invoice.Number), ("number_key", Codes.Key(invoice.Number)), ("kind", invoice.Kind.ToString().ToLowerInvariant()),
                    ("customer", invoice.Customer), ("issued_on", FinancialYear.Text(invoice.Date)), ("currency", invoice.Currency),
                    ("amount", OperationalInvoice.StoredUnits.ToMinor(invoice.Amount)), ("vat", OperationalInvoice.StoredUnits.ToMinor(invoice.Vat)),
                    ("reference", invoice.Reference), ("created_at", at), ("created_by", invoice.CreatedBy)));
            }
            session.Audit.WriteMany(connection, transaction, session.Database.Dialect, "create", "invoice",
                added.Select(i => (i.Number, (string?)null, (string?)System.Text.Json.JsonSerializer.Serialize(Audited(i)))));
            return ((IReadOnlyList<OperationalInvoice>)[.. added.Select((i, k) => i with { Id = ids[k] })], alreadyThere);
        });
    }

    /// <summary>The invoices, oldest first, of one customer or all, each with where it stands with every connection.</summary>
    public IReadOnlyList<(OperationalInvoice Invoice, IReadOnlyList<InvoicePostingState> Postings)> List(string? customer = null)
    {
        using var connection = session.Database.OpenConnection();
        var filter = "";
        object? code = null;
        if (customer is not null)
        {
            code = CustomerService.Table.Find(connection, null, customer)?.Code
                ?? throw new UserError($"customer {customer}", null, "does not exist");
            filter = " WHERE i.customer = @c";
        }
        var postings = Postings(connection, code is null ? "" : " JOIN operational_invoices i ON i.id = p.invoice_id WHERE i.customer = @c", code);
        var invoices = new List<(OperationalInvoice, IReadOnlyList<InvoicePostingState>)>();
        using (var command = Sql.Command(connection, null, $"SELECT {OperationalInvoice.Columns} FROM operational_invoices i{filter} ORDER BY i.issued_on, i.id", ("c", code)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var invoice = OperationalInvoice.Read(reader);
                invoices.Add((invoice, postings.TryGetValue(invoice.Id, out var list) ? list : []));
            }
        }
        return invoices;
    }

    /// <summary>The invoice of this number (in any case) with where it stands with every connection, or null.</summary>
    public (OperationalInvoice Invoice, IReadOnlyList<InvoicePostingState> Postings)? Find(string number)
    {
        using var connection = session.Database.OpenConnection();
        if (!Stored(connection, null, [number.Trim()]).TryGetValue(Codes.Key(number.Trim()), out var invoice))
        {
            return null;
        }
        return (invoice, Postings(connection, " WHERE p.invoice_id = @c", invoice.Id).GetValueOrDefault(invoice.Id) ?? []);
    }

    /// <summary>The postings of the invoices <paramref name="filter"/> picks (by its parameter @c), by invoice id, oldest first.</summary>
    private static Dictionary<long, List<InvoicePostingState>> Postings(DbConnection connection, string filter, object? value)
    {
        var postings = new Dictionary<long, List<InvoicePostingState>>();
        using var command = Sql.Command(connection, null,
            "SELECT p.invoice_id, c.name, p.account, p.transaction_id, p.run_id, p.posted_at FROM invoice_postings p JOIN sync_connections c ON c.id = p.connection_id" +
            filter + " ORDER BY p.posted_at", ("c", value));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            (postings.TryGetValue(id, out var list) ? list : postings[id] = []).Add(
                new InvoicePostingState(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5)));
        }
        return postings;
    }

    /// <summary>An invoice from what was typed, checked field by field; null (with the errors added) when refused.</summary>
    private OperationalInvoice? Build(InvoiceInput input, string record, int? line, Dictionary<string, string> customers, DateTimeOffset now, List<RecordError> errors)
    {
        var before = errors.Count;
        T? Check<T>(string field, Func<T> parse)
        {
            try
            {
                return UserError.Guard(record, field, parse);
            }
            catch (UserError error)
            {
                errors.AddRange(error.Errors.Select(e => e with { Line = line }));
                return default;
            }
        }
        var number = Check("number", () => Codes.Check(input.Number));
        var kind = Check("kind", () => LedgerTransaction.ParseKind(input.Kind, record) is var parsed && OperationalInvoice.Kinds.Contains(parsed)
            ? parsed
            : throw new FieldValueError($"'{input.Kind}' is not invoice or credit"));
        var customer = Check("customer", () => customers.GetValueOrDefault(Codes.Key(Codes.Check(input.Customer)))
            ?? throw new FieldValueError($"'{input.Customer.Trim()}' does not exist; add it with '{CommandHint.For("customers add CODE --site SITE")}'"));
        var amount = Check("amount", () => OperationalInvoice.StoredUnits.Parse(input.Amount));
        var vat = input.Vat is { } v && v.Trim().Length > 0 ? Check("vat", () => OperationalInvoice.StoredUnits.Parse(v)) : 0m;
        var date = Check("date", () => input.Date is { } d && d.Trim().Length > 0 ? FinancialYear.ParseDate(d, record) : FinancialYear.Today(session));
        var currency = Check("currency", () => input.Currency?.Trim() is { Length: > 0 } c
            ? c.Length == 3 && c.All(char.IsAsciiLetter) ? c.ToUpperInvariant() : throw new FieldValueError($"'{c}' is not a currency code (three letters, e.g. ZAR)")
            : null);
        var reference = Check("reference", () => TextRules.Optional(input.Reference, 60));
        if (errors.Count > before)
        {
            return null;
        }
        if (amount <= 0)
        {
            errors.Add(new RecordError(record, "amount", $"{Money.Format(amount)} is not positive; a {LedgerTransaction.Name(kind)} is raised for a positive amount", line));
        }
        if (vat < 0 || vat > amount)
        {
            errors.Add(new RecordError(record, "vat", $"{Money.Format(vat)} is not between 0 and the amount {Money.Format(amount)}, which includes it", line));
        }
        return errors.Count > before ? null : new OperationalInvoice(0, number!, kind, customer!, date, currency, amount, vat, reference, now, session.User.Name);
    }

    /// <summary>The stored invoices among these numbers, by number key.</summary>
    private static Dictionary<string, OperationalInvoice> Stored(DbConnection connection, DbTransaction? transaction, IEnumerable<string> numbers)
    {
        var stored = new Dictionary<string, OperationalInvoice>(StringComparer.Ordinal);
        Sql.ForEachIn(connection, transaction, $"SELECT {OperationalInvoice.Columns} FROM operational_invoices i WHERE i.number_key IN", numbers.Select(Codes.Key), reader =>
        {
            var invoice = OperationalInvoice.Read(reader);
            stored[Codes.Key(invoice.Number)] = invoice;
        });
        return stored;
    }

    private static bool Same(OperationalInvoice a, OperationalInvoice b) =>
        a.Kind == b.Kind && Codes.Same(a.Customer, b.Customer) && a.Date == b.Date && a.Currency == b.Currency && a.Amount == b.Amount && a.Vat == b.Vat && a.Reference == b.Reference;

    /// <summary>What the audit log keeps of an invoice.</summary>
    private static object Audited(OperationalInvoice i) => new
    {
        number = i.Number, kind = LedgerTransaction.Name(i.Kind), customer = i.Customer, date = FinancialYear.Text(i.Date),
        currency = i.Currency, amount = i.Amount, vat = i.Vat, reference = i.Reference,
    };
}
