using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Ledger;

/// <summary>
/// Customer account maintenance in the embedded sales ledger: add (from a model, with profiles),
/// edit, mark for deletion and End of Period, contacts (L1–L6, L8, L9). Every write is audited.
/// </summary>
public sealed class AccountService(Session session)
{
    public static readonly RecordTable<LedgerAccount> Table = new(LedgerAccount.Schema, journaled: true);

    /// <summary>A reference snapshot to check against instead of reading the tables for each write (bulk work).</summary>
    public ReferenceResolver? References { get; init; }

    /// <summary>A transaction to add and edit within (a batch of sync writes) instead of one per write.</summary>
    public (DbConnection Connection, DbTransaction Transaction)? Within { get; init; }

    private T Write<T>(Func<DbConnection, DbTransaction, T> work) =>
        Within is { } within ? work(within.Connection, within.Transaction) : session.Database.InTransaction(work);

    /// <summary>Warnings raised by the last write (e.g. a ledger account set on an account with transactions).</summary>
    public List<string> Warnings { get; } = [];

    public LedgerAccount Add(IReadOnlyDictionary<string, string?> values, string? modelCode = null)
    {
        session.Require(Role.Clerk, "add accounts");
        return Write((connection, transaction) =>
        {
            var model = modelCode is null ? null : Model(connection, transaction, modelCode, values.GetValueOrDefault("code"));
            var account = Build(connection, transaction, values, model, code => Table.Find(connection, transaction, code)?.Code, session.Now);
            Table.Insert(connection, transaction, account);
            session.Audit.Write(connection, transaction, "create", "account", account.Code, null, LedgerAccount.Schema.ToAuditJson(account));
            return account;
        });
    }

    /// <summary>
    /// Adds many accounts at once (a sync batch) in the caller's transaction: each is checked by
    /// every rule as by <see cref="Add"/>, a refused one is refused alone with its error, and the
    /// rest are written by the store's bulk path, each with its own audit line.
    /// </summary>
    public IReadOnlyList<(LedgerAccount? Account, UserError? Refused)> AddMany(IReadOnlyList<IReadOnlyDictionary<string, string?>> values, string? modelCode = null)
    {
        session.Require(Role.Clerk, "add accounts");
        return Write((connection, transaction) =>
        {
            LedgerAccount? model = null;
            return Table.AddMany(session, connection, transaction, values, (value, stored, now) =>
            {
                model ??= modelCode is null ? null : Model(connection, transaction, modelCode, value.GetValueOrDefault("code"));
                return Build(connection, transaction, value, model, stored, now);
            });
        });
    }

    /// <summary>
    /// Which of these new accounts <see cref="AddMany"/> would refuse, and why, writing nothing: each
    /// is built and checked by the same rules (for a sync preview, S11).
    /// </summary>
    public IReadOnlyList<UserError?> Refusals(IReadOnlyList<IReadOnlyDictionary<string, string?>> values, string? modelCode = null)
    {
        using var connection = session.Database.OpenConnection();
        LedgerAccount? model = null;
        return RecordTable<LedgerAccount>.Refusals(session, values, (value, stored, now) =>
        {
            model ??= modelCode is null ? null : Model(connection, null, modelCode, value.GetValueOrDefault("code"));
            return Build(connection, null, value, model, stored, now);
        });
    }

    private static LedgerAccount Model(DbConnection connection, DbTransaction? transaction, string modelCode, string? code)
    {
        var model = Get(connection, transaction, modelCode);
        return model.Model
            ? model
            : throw new UserError($"account {code}", "model", $"'{model.Code}' is not a model account; mark it with --is-model yes first");
    }

    /// <summary>A new account from the values (and the model), checked by every rule; <paramref name="stored"/> gives the code as stored of an existing account.</summary>
    private LedgerAccount Build(DbConnection connection, DbTransaction? transaction, IReadOnlyDictionary<string, string?> values, LedgerAccount? model, Func<string, string?> stored, DateTimeOffset now)
    {
        var account = model is null ? new LedgerAccount() : FromModel(model);
        var errors = new List<RecordError>();
        RecordEditor.Apply(LedgerAccount.Schema, account, values, $"account {values.GetValueOrDefault("code")}", errors);
        RecordEditor.ThrowIfAny(errors);
        if (stored(account.Code) is { } existing)
        {
            throw new UserError($"account {account.Code}", "code", $"already exists (as '{existing}'); account codes are unique in the ledger, whatever their case");
        }
        ApplyProfiles(connection, transaction, account, values);
        Check(connection, transaction, account, errors);
        account.FirstCreated = account.LastModified = now;
        return account;
    }

    public LedgerAccount Edit(string code, IReadOnlyDictionary<string, string?> values)
    {
        session.Require(Role.Clerk, "edit accounts");
        return Write((connection, transaction) =>
        {
            var before = Get(connection, transaction, code);
            var account = RecordEditor.Edited(LedgerAccount.Schema, before, values);
            var errors = new List<RecordError>();
            ApplyProfiles(connection, transaction, account, values);
            CheckChange(before, account, connection, transaction, errors);
            Check(connection, transaction, account, errors);
            return Save(connection, transaction, before, account, "update");
        });
    }

    /// <summary>Marks an account for deletion (L9); End of Period removes it if it may go.</summary>
    public LedgerAccount MarkForDeletion(string code) => SetMark(code, true, "delete accounts");

    /// <summary>Takes the deletion mark off an account.</summary>
    public LedgerAccount Restore(string code) => SetMark(code, false, "restore accounts");

    /// <summary>The periods the last <see cref="EndOfPeriod"/> closed (or would close): those that ended before today.</summary>
    public IReadOnlyList<Period> PeriodsClosed { get; private set; } = [];

    /// <summary>
    /// End of Period (L9, L7): removes marked accounts with a zero balance, nothing unallocated and
    /// that no other account posts to or addresses invoices to; keeps the others and says why; and
    /// closes the periods that have ended (no transaction is dated in them after). Nothing is
    /// written unless <paramref name="apply"/>.
    /// </summary>
    public IReadOnlyList<PeriodEndOutcome> EndOfPeriod(bool apply)
    {
        session.Require(Role.Supervisor, "run End of Period");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var marked = Table.Stream(connection, transaction, "marked_for_deletion").ToList();
            var removed = new HashSet<string>(Codes.Comparer);
            var outcomes = new Dictionary<string, PeriodEndOutcome>(Codes.Comparer);
            bool progress;
            do
            {
                progress = false;
                foreach (var account in marked.Where(a => !removed.Contains(a.Code)))
                {
                    var reason = KeepReason(connection, transaction, account, removed);
                    outcomes[account.Code] = new PeriodEndOutcome(account.Code, reason is null, reason ?? "zero balance and no dependent accounts");
                    if (reason is null)
                    {
                        removed.Add(account.Code);
                        progress = true;
                    }
                }
            }
            while (progress);
            var today = FinancialYear.Today(session);
            var year = FinancialYear.Read(connection, transaction, today);
            var after = year.CloseEndedPeriods(today);
            PeriodsClosed = [.. year.List().Where(p => !p.Closed && p.To < after.OpenFrom)];
            if (apply && PeriodsClosed.Count > 0)
            {
                after.Save(connection, transaction);
                session.Audit.Write(connection, transaction, "period-end", "financial-year", FinancialYear.Text(year.Start),
                    System.Text.Json.JsonSerializer.Serialize(year), System.Text.Json.JsonSerializer.Serialize(after));
            }
            if (apply)
            {
                foreach (var account in marked.Where(a => removed.Contains(a.Code)))
                {
                    Sql.Execute(connection, transaction, "DELETE FROM ledger_contacts WHERE account_key = @k", ("k", Codes.Key(account.Code)));
                    Table.Delete(connection, transaction, account.Code);
                    session.Audit.Write(connection, transaction, "remove", "account", account.Code, LedgerAccount.Schema.ToAuditJson(account), null);
                }
            }
            return (IReadOnlyList<PeriodEndOutcome>)[.. outcomes.Values.OrderBy(o => o.Code, Codes.Comparer)];
        });
    }

    public LedgerAccount Get(string code)
    {
        using var connection = session.Database.OpenConnection();
        return Get(connection, null, code);
    }

    /// <summary>Streams the account listing; dormant and model accounts only when asked for (L8).</summary>
    public static IEnumerable<LedgerAccount> List(DbConnection connection, bool includeDormant, bool includeModels = false)
    {
        var conditions = new List<string>();
        if (!includeDormant)
        {
            conditions.Add("NOT dormant");
        }
        if (!includeModels)
        {
            conditions.Add("NOT is_model");
        }
        return Table.Stream(connection, string.Join(" AND ", conditions));
    }

    /// <summary>Accounts whose code, name or VAT number contains <paramref name="text"/>; dormant ones only when asked for (L8).</summary>
    public static IEnumerable<LedgerAccount> Search(DbConnection connection, string text, bool includeDormant)
    {
        var pattern = "%" + text.Trim().ToUpperInvariant().Replace("%", "", StringComparison.Ordinal) + "%";
        return Table.Stream(connection,
            "(code_key LIKE @p OR UPPER(name) LIKE @p OR vat LIKE @p) AND NOT is_model" + (includeDormant ? "" : " AND NOT dormant"),
            ("p", pattern));
    }

    public IReadOnlyList<AccountContact> Contacts(string code)
    {
        using var connection = session.Database.OpenConnection();
        var account = Get(connection, null, code);
        using var command = Sql.Command(connection, null,
            "SELECT name, role, phone, email FROM ledger_contacts WHERE account_key = @k ORDER BY id", ("k", Codes.Key(account.Code)));
        using var reader = command.ExecuteReader();
        var contacts = new List<AccountContact>();
        while (reader.Read())
        {
            contacts.Add(new AccountContact(account.Code, reader.GetString(0), reader.TextOrNull(1),
                reader.TextOrNull(2), reader.TextOrNull(3)));
        }
        return contacts;
    }

    public AccountContact AddContact(string code, string name, string? role, string? phone, string? email)
    {
        session.Require(Role.Clerk, "add contacts");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var account = Get(connection, transaction, code);
            var label = $"account {account.Code} contact";
            var checkedName = UserError.Guard(label, "name", () => (string?)LedgerAccount.Schema.Find("ac-contact")!.Parse(name))
                ?? throw new UserError(label, "name", "is required");
            var checkedEmail = UserError.Guard(label, "email", () => (string?)LedgerAccount.Schema.Find("ac-email")!.Parse(email));
            var checkedPhone = UserError.Guard(label, "phone", () => (string?)LedgerAccount.Schema.Find("phone")!.Parse(phone));
            var checkedRole = UserError.Guard(label, "role", () => (string?)LedgerAccount.Schema.Find("ac-contact")!.Parse(role));
            var contact = new AccountContact(account.Code, checkedName, checkedRole, checkedPhone, checkedEmail);
            Sql.Execute(connection, transaction, "INSERT INTO ledger_contacts (account_key, name, role, phone, email) VALUES (@k, @n, @r, @p, @e)",
                ("k", Codes.Key(account.Code)), ("n", contact.Name), ("r", contact.Role), ("p", contact.Phone), ("e", contact.Email));
            session.Audit.Write(connection, transaction, "create", "contact", account.Code, null, System.Text.Json.JsonSerializer.Serialize(contact));
            return contact;
        });
    }

    /// <summary>
    /// A new account filled from a model (L3): every field but the code, the name (a model's name
    /// describes the model, never a customer), the model flag and the dormant mark.
    /// </summary>
    public static LedgerAccount FromModel(LedgerAccount model)
    {
        var account = new LedgerAccount();
        foreach (var field in LedgerAccount.Schema.UserFields.Where(f => f.Name is not ("code" or "name" or "is-model" or "dormant")))
        {
            field.Set(account, field.Get(model));
        }
        return account;
    }

    /// <summary>Fills, from the options and terms profiles given, the fields the user did not give (L4).</summary>
    internal static void ApplyProfiles(DbConnection connection, DbTransaction? transaction, LedgerAccount account, IReadOnlyDictionary<string, string?> given)
    {
        bool Given(string field) => given.TryGetValue(field, out var v) && v is not null;
        if (Given("options-profile") && account.OptionsProfile is { } optionsCode
            && ReferenceService.ReadOptions(connection, transaction, optionsCode).FirstOrDefault() is { } options)
        {
            if (!Given("currency"))
            {
                account.Currency = options.Currency;
            }
            if (!Given("control-account"))
            {
                account.ControlAccount = options.ControlAccount;
            }
            if (!Given("bank"))
            {
                account.Bank = options.Bank;
            }
        }
        if (Given("terms-profile") && account.TermsProfile is { } termsCode
            && ReferenceService.ReadTerms(connection, transaction, termsCode).FirstOrDefault() is { } terms)
        {
            if (!Given("credit-limit"))
            {
                account.CreditLimit = terms.CreditLimit;
            }
            if (!Given("payment-days"))
            {
                account.PaymentDays = terms.PaymentDays;
            }
        }
    }

    /// <summary>What a change may not do to an account with transactions: move it to another currency (its amounts are in the old one's units).</summary>
    internal static void CheckChange(LedgerAccount before, LedgerAccount after, DbConnection connection, DbTransaction? transaction, List<RecordError> errors, int? line = null)
    {
        if (!Codes.Same(before.Currency, after.Currency)
            && Sql.Scalar<long>(connection, transaction, "SELECT COUNT(*) FROM ledger_transactions WHERE account_key = @k", ("k", Codes.Key(before.Code))) > 0)
        {
            errors.Add(new RecordError($"account {before.Code}", "currency", $"cannot change from {before.Currency ?? "the home currency"}: the account has transactions in it", line));
        }
    }

    private void Check(DbConnection connection, DbTransaction? transaction, LedgerAccount account, List<RecordError> errors)
    {
        AccountRules.Check(account, References ?? new ReferenceResolver(connection, transaction), c => Table.Find(connection, transaction, c), errors, Warnings);
        RecordEditor.ThrowIfAny(errors);
    }

    private LedgerAccount SetMark(string code, bool marked, string action)
    {
        session.Require(Role.Supervisor, action);
        return session.Database.InTransaction((connection, transaction) =>
        {
            var before = Get(connection, transaction, code);
            var account = RecordEditor.Copy(LedgerAccount.Schema, before);
            account.MarkedForDeletion = marked;
            return Save(connection, transaction, before, account, marked ? "mark-for-deletion" : "restore");
        });
    }

    private LedgerAccount Save(DbConnection connection, DbTransaction transaction, LedgerAccount before, LedgerAccount account, string action)
    {
        account.LastModified = session.Now;
        Table.Update(connection, transaction, account);
        session.Audit.Write(connection, transaction, action, "account", account.Code,
            LedgerAccount.Schema.ToAuditJson(before), LedgerAccount.Schema.ToAuditJson(account));
        return account;
    }

    private static string? KeepReason(DbConnection connection, DbTransaction transaction, LedgerAccount account, HashSet<string> removed)
    {
        if (account.Balance != 0)
        {
            return $"kept: balance is {Currency.Of(account.Currency).Format(account.Balance)}, not zero";
        }
        var unallocated = Sql.Scalar<long>(connection, transaction,
            "SELECT COUNT(*) FROM ledger_transactions WHERE account_key = @k AND outstanding <> 0", ("k", Codes.Key(account.Code)));
        if (unallocated > 0)
        {
            return $"kept: {unallocated} transaction{(unallocated == 1 ? " is" : "s are")} not fully allocated; allocate them first";
        }
        using var command = Sql.Command(connection, transaction,
            "SELECT code FROM ledger_accounts WHERE ledger_account = @c OR invoice_account = @c ORDER BY code_key", ("c", account.Code));
        using var reader = command.ExecuteReader();
        var dependants = new List<string>();
        while (reader.Read())
        {
            if (!removed.Contains(reader.GetString(0)))
            {
                dependants.Add(reader.GetString(0));
            }
        }
        return dependants.Count > 0
            ? $"kept: {string.Join(", ", dependants)} still {(dependants.Count == 1 ? "uses" : "use")} it as ledger or invoice account"
            : null;
    }

    private static LedgerAccount Get(DbConnection connection, DbTransaction? transaction, string code) =>
        Table.Find(connection, transaction, code)
        ?? throw new UserError($"account {code}", null, "does not exist in the ledger");
}
