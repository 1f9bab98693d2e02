using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;
using Concord.Store;

namespace Concord.Core.Ledger;

/// <summary>
/// Ledger transactions (L7): posting invoices, credit notes, receipts, refunds and adjustments,
/// reversing them, and allocating credits to debits. A posting changes what the account owes, not
/// the customer record: it takes no change number, so a sync does not see the customer as changed.
/// The transaction rows are their own journal (who, when), never edited but for what is left
/// outstanding and which reversal undid them.
/// </summary>
public sealed class TransactionService(Session session)
{
    private static readonly string[] InsertColumns =
        ["account_key", "named_key", "kind", "posted_on", "reference", "line_for", "currency", "amount", "vat", "outstanding", "source", "created_at", "created_by"];

    /// <summary>Warnings raised by the last posting (a credit limit passed).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Posts one transaction; it goes to the account's ledger account when it is a delivery account (L5).</summary>
    public LedgerTransaction Post(Posting posting)
    {
        var id = 0L;
        PostMany([(Label(posting), posting)], inserted => id = inserted);
        return Find(id);
    }

    /// <summary>
    /// Posts many transactions in one store transaction, all or nothing: every one is checked
    /// first (each error names its record and field), then they are written together and each
    /// account's balance moves once. Returns how many were posted.
    /// </summary>
    /// <param name="postings">The transactions, each with the record its errors name.</param>
    /// <param name="found">Errors found before (lines of a file that could not be read as postings): reported with these, and nothing is posted.</param>
    public int PostMany(IReadOnlyList<(string Record, Posting Posting)> postings, IReadOnlyList<RecordError>? found = null) => PostMany(postings, null, found);

    private int PostMany(IReadOnlyList<(string Record, Posting Posting)> postings, Action<long>? single, IReadOnlyList<RecordError>? found = null)
    {
        session.Require(Role.Clerk, "post transactions");
        Warnings.Clear();
        return session.Database.InTransaction((connection, transaction) =>
        {
            var batch = Prepare(connection, transaction, postings);
            var errors = new List<RecordError>(found ?? []);
            errors.AddRange(batch.Refused.Where(r => r is not null).SelectMany(r => r!.Errors));
            CheckSources(connection, transaction, postings, errors);
            errors.AddRange(batch.OverdrawnAccounts());
            RecordEditor.ThrowIfAny(errors);
            Insert(connection, transaction, [.. batch.Rows.OfType<object?[]>()], single);
            MoveBalances(connection, transaction, batch);
            return postings.Count;
        });
    }

    /// <summary>
    /// Posts each transaction on its own (a sync's operational invoices): those refused are refused
    /// alone, each with its error, and the rest are posted in one store transaction. A posting whose
    /// source was posted before is not posted again: its outcome names the transaction it became.
    /// Every posting here has a source.
    /// </summary>
    public IReadOnlyList<PostingOutcome> PostEach(IReadOnlyList<(string Record, Posting Posting)> postings)
    {
        session.Require(Role.Clerk, "post transactions");
        Warnings.Clear();
        return session.Database.InTransaction((connection, transaction) =>
        {
            var before = Posted(connection, transaction, postings.Select(p => p.Posting.Source!));
            var outcomes = new PostingOutcome?[postings.Count];
            var fresh = new List<int>();
            var given = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < postings.Count; k++)
            {
                var source = postings[k].Posting.Source ?? throw new ArgumentException("every posting here has a source", nameof(postings));
                if (before.TryGetValue(source, out var posted))
                {
                    outcomes[k] = posted.Refuses(postings[k].Record, postings[k].Posting) is { } taken
                        ? new PostingOutcome(null, false, taken)
                        : new PostingOutcome(posted.Id, true, null);
                }
                else if (!given.Add(source))
                {
                    outcomes[k] = new PostingOutcome(null, false, new UserError(postings[k].Record, "source", $"'{source}' is given twice in one batch"));
                }
                else
                {
                    fresh.Add(k);
                }
            }
            var batch = Prepare(connection, transaction, [.. fresh.Select(k => postings[k])]);
            var overdrawn = batch.OverdrawnPostings([.. fresh.Select(k => postings[k].Posting)]).ToList();
            for (var f = 0; f < fresh.Count; f++)
            {
                if ((batch.Refused[f] ?? overdrawn.FirstOrDefault(o => o.Posting == f).Error) is { } refused)
                {
                    outcomes[fresh[f]] = new PostingOutcome(null, false, refused);
                    batch.Drop(f);
                }
            }
            Insert(connection, transaction, [.. batch.Rows.OfType<object?[]>()], null);
            var ids = PostedIds(connection, transaction, fresh.Where(k => outcomes[k] is null).Select(k => postings[k].Posting.Source!));
            foreach (var k in fresh.Where(k => outcomes[k] is null))
            {
                outcomes[k] = new PostingOutcome(ids[postings[k].Posting.Source!], false, null);
            }
            MoveBalances(connection, transaction, batch);
            return (IReadOnlyList<PostingOutcome>)[.. outcomes.Select(o => o!)];
        });
    }

    /// <summary>What <see cref="PostEach"/> would refuse of these postings, writing nothing: each refusal or null, in order (for a sync's preview).</summary>
    public IReadOnlyList<UserError?> Refusals(IReadOnlyList<(string Record, Posting Posting)> postings)
    {
        using var connection = session.Database.OpenConnection();
        var batch = Prepare(connection, null, postings);
        var overdrawn = batch.OverdrawnPostings([.. postings.Select(p => p.Posting)]).ToList();
        return [.. batch.Refused.Select((refused, k) => refused ?? overdrawn.FirstOrDefault(o => o.Posting == k).Error)];
    }

    /// <summary>The transactions posted under these sources (an import line's id, an operational invoice), by source.</summary>
    public IReadOnlyDictionary<string, LedgerTransaction> Posted(IReadOnlyCollection<string> sources)
    {
        using var connection = session.Database.OpenConnection();
        return Posted(connection, null, sources);
    }

    private static Dictionary<string, LedgerTransaction> Posted(DbConnection connection, DbTransaction? transaction, IEnumerable<string> sources)
    {
        var posted = new Dictionary<string, LedgerTransaction>(StringComparer.Ordinal);
        Sql.ForEachIn(connection, transaction, $"SELECT {LedgerTransaction.Columns} FROM {LedgerTransaction.From} WHERE t.source IN", sources, reader =>
        {
            var found = LedgerTransaction.Read(reader);
            posted[found.Source!] = found;
        });
        return posted;
    }

    /// <summary>Only the ids of the transactions posted under these sources: source → id (what a posting became, a source taken).</summary>
    private static Dictionary<string, long> PostedIds(DbConnection connection, DbTransaction? transaction, IEnumerable<string> sources)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        Sql.ForEachIn(connection, transaction, "SELECT source, id FROM ledger_transactions WHERE source IN", sources, reader => ids[reader.GetString(0)] = reader.GetInt64(1));
        return ids;
    }

    /// <summary>
    /// Checks every posting and makes its row, in the batch's order: the row, or the refusal naming
    /// its record and field; with the move each account's balance takes from the rows made.
    /// </summary>
    private PreparedBatch Prepare(DbConnection connection, DbTransaction? transaction, IReadOnlyList<(string Record, Posting Posting)> postings)
    {
        var today = FinancialYear.Today(session);
        var year = FinancialYear.Read(connection, transaction, today);
        if (!year.Stored && transaction is not null)
        {
            // The first posting fixes the year: the calendar turning over does not start a new one by itself.
            year.Save(connection, transaction);
        }
        var batch = new PreparedBatch(new AccountCache(connection, transaction));
        batch.Accounts.Load(postings.Select(p => p.Posting.Account));
        var created = Timestamps.Format(session.Now);
        foreach (var (record, posting) in postings)
        {
            try
            {
                var (named, target) = batch.Accounts.Target(posting.Account, record);
                var currency = Currency.Of(target.Currency);
                if (posting.Currency is { } given && !Codes.Same(given, currency.Code))
                {
                    throw new UserError(record, "currency", $"is {given.ToUpperInvariant()}, but account {target.Code} keeps {currency.Code ?? "the home currency (it names none)"}; it posts only to an account in its own currency, never converted");
                }
                var (amount, vat) = Signed(posting, currency, record);
                var date = posting.Date ?? today;
                year.CheckDate(date, record);
                batch.Add([target.Key, named.Key == target.Key ? null : named.Key, posting.Kind.ToString().ToLowerInvariant(), FinancialYear.Text(date),
                    Text(posting.Reference, record, "reference", 60), Text(posting.LineFor, record, "line-for", 60), currency.Code, amount, vat, amount,
                    posting.Source, created, session.User.Name], target.Key, currency.Rescale(amount, LedgerAccount.BalanceUnits));
            }
            catch (UserError error)
            {
                batch.Refuse(error);
            }
        }
        return batch;
    }

    /// <summary>Moves each account's balance by what the batch's rows add up to, once per account, and warns of credit limits passed.</summary>
    private void MoveBalances(DbConnection connection, DbTransaction transaction, PreparedBatch batch)
    {
        var units = new Currency(null, LedgerAccount.BalanceUnits);
        var moves = batch.Moves();
        if (session.Database.Kind == StoreKind.Postgres)
        {
            // Two statements for the whole batch, not one per account over the network. The accounts are locked in the order
            // of their keys (byte order, as every batch locks them and a sync writes its updates), so two writers never wait
            // on each other crosswise; their balances are read again under the lock (for the credit limit's warning); then
            // all are moved together.
            var keys = moves.Keys.ToArray();
            var locked = new HashSet<string>(StringComparer.Ordinal);
            using (var locking = Sql.Command(connection, transaction, "SELECT code_key, balance FROM ledger_accounts WHERE code_key = ANY(@k) ORDER BY code_key COLLATE \"C\" FOR UPDATE", ("k", keys)))
            using (var reader = locking.ExecuteReader())
            {
                while (reader.Read())
                {
                    batch.Accounts.ByKey[reader.GetString(0)].Balance = reader.GetInt64(1);
                    locked.Add(reader.GetString(0));
                }
            }
            if (keys.FirstOrDefault(k => !locked.Contains(k)) is { } gone)
            {
                throw new UserError($"account {batch.Accounts.ByKey[gone].Code}", null, "was removed from the ledger meanwhile (End of Period); nothing was posted");
            }
            using var moving = Sql.Command(connection, transaction,
                "UPDATE ledger_accounts SET balance = balance + v.m FROM unnest(@k, @m) AS v(k, m) WHERE code_key = v.k", ("k", keys), ("m", moves.Values.ToArray()));
            moving.ExecuteNonQuery();
        }
        else
        {
            // In process, one prepared statement per account costs less than a statement of them all; SQLite has one writer at a time.
            foreach (var (key, move) in moves)
            {
                Sql.ExecuteRepeated(connection, transaction, "UPDATE ledger_accounts SET balance = balance + @m WHERE code_key = @k", ("m", move), ("k", key));
            }
        }
        foreach (var (key, move) in moves)
        {
            var account = batch.Accounts.ByKey[key];
            var before = account.Balance;
            account.Balance += move;
            var limit = Currency.Standard.Rescale(account.CreditLimit, LedgerAccount.BalanceUnits);
            if (move > 0 && limit > 0 && account.Balance > limit)
            {
                var currency = Currency.Of(account.Currency);
                Warnings.Add($"account {account.Code} is over its credit limit: it owes {currency.Format(units.FromMinor(account.Balance))} against a limit of {currency.Format(Money.FromCents(account.CreditLimit))}"
                    + (before > limit ? " (it was over before)" : ""));
            }
        }
    }

    /// <summary>A batch of postings checked and made into rows, in order: each a row or a refusal, and where each row moves a balance.</summary>
    private sealed class PreparedBatch(AccountCache accounts)
    {
        private readonly List<(string Key, long Move)?> _moves = [];

        public AccountCache Accounts { get; } = accounts;

        public List<object?[]?> Rows { get; } = [];

        public List<UserError?> Refused { get; } = [];

        public void Add(object?[] row, string key, long move)
        {
            Rows.Add(row);
            Refused.Add(null);
            _moves.Add((key, move));
        }

        public void Refuse(UserError error)
        {
            Rows.Add(null);
            Refused.Add(error);
            _moves.Add(null);
        }

        /// <summary>Leaves posting <paramref name="k"/> out of what is written.</summary>
        public void Drop(int k)
        {
            Rows[k] = null;
            _moves[k] = null;
        }

        /// <summary>Each account's total move, in balance units.</summary>
        public Dictionary<string, long> Moves()
        {
            var moves = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, move) in _moves.OfType<(string Key, long Move)>())
            {
                moves[key] = checked(moves.GetValueOrDefault(key) + move);
            }
            return moves;
        }

        /// <summary>The accounts whose balance the rows would take past what the ledger keeps, as errors of the account.</summary>
        public IEnumerable<RecordError> OverdrawnAccounts() => Past().Select(key => new RecordError($"account {Accounts.ByKey[key].Code}", "amount",
            $"these postings would take its balance past {Money.Format(LedgerAccount.MaxBalance)} either way, the most the ledger keeps"));

        /// <summary>The same as an error of each posting (by its place in the batch) to such an account.</summary>
        public IEnumerable<(int Posting, UserError Error)> OverdrawnPostings(IReadOnlyList<Posting> postings)
        {
            var past = Past().ToHashSet(StringComparer.Ordinal);
            for (var k = 0; k < _moves.Count; k++)
            {
                if (_moves[k] is { } move && past.Contains(move.Key))
                {
                    yield return (k, new UserError($"{LedgerTransaction.Name(postings[k].Kind)} for {postings[k].Account}", "amount",
                        $"it would take the balance of account {Accounts.ByKey[move.Key].Code} past {Money.Format(LedgerAccount.MaxBalance)}, the most the ledger keeps"));
                }
            }
        }

        private IEnumerable<string> Past()
        {
            var most = (decimal)new Currency(null, LedgerAccount.BalanceUnits).ToMinor(LedgerAccount.MaxBalance);
            var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var (key, move) in _moves.OfType<(string Key, long Move)>())
            {
                totals[key] = totals.GetValueOrDefault(key) + move;
            }
            return totals.Where(t => Math.Abs(Accounts.ByKey[t.Key].Balance + t.Value) > most).Select(t => t.Key);
        }
    }

    /// <summary>A transaction from outside (an import line's id, an operational invoice) is posted once: given twice, or posted before, it is refused.</summary>
    private static void CheckSources(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Record, Posting Posting)> postings, List<RecordError> errors)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (record, posting) in postings)
        {
            if (posting.Source is { } source && !given.TryAdd(source, record))
            {
                errors.Add(new RecordError(record, "id", $"'{source}' is given twice (also {given[source]}); a transaction from outside is posted once"));
            }
        }
        foreach (var (source, id) in PostedIds(connection, transaction, given.Keys))
        {
            errors.Add(new RecordError(given[source], "id", $"'{source}' was posted already, as transaction {id}"));
        }
    }

    /// <summary>Writes the rows: one by a statement that gives back its id, many by the store's bulk path.</summary>
    private void Insert(DbConnection connection, DbTransaction transaction, List<object?[]> rows, Action<long>? single)
    {
        if (rows.Count == 0)
        {
            return;
        }
        if (single is not null && rows.Count == 1)
        {
            single(Sql.ScalarRepeated<long>(connection, transaction,
                $"INSERT INTO ledger_transactions ({string.Join(", ", InsertColumns)}) VALUES ({string.Join(", ", InsertColumns.Select(c => "@" + c))}) RETURNING id",
                [.. InsertColumns.Select((c, i) => (c, rows[0][i]))]));
            return;
        }
        using var writer = session.Database.Dialect.OpenBulkWriter(connection, transaction, "ledger_transactions", InsertColumns);
        foreach (var row in rows)
        {
            writer.Write(row);
        }
        writer.Complete();
    }

    /// <summary>
    /// Reverses a transaction by another of the same kind and the opposite amount, dated as it was
    /// (or from the first open date, when its period is closed): what it was allocated to is
    /// outstanding again, and the pair settles each other.
    /// </summary>
    public LedgerTransaction Reverse(long id, DateOnly? date = null)
    {
        session.Require(Role.Clerk, "reverse transactions");
        var reversal = session.Database.InTransaction((connection, transaction) =>
        {
            var record = $"transaction {id}";
            var original = Find(connection, transaction, id) ?? throw new UserError(record, null, "does not exist");
            if (original.ReversedBy is { } by)
            {
                throw new UserError(record, null, $"was reversed already, by transaction {by}");
            }
            if (original.Reverses is { } of)
            {
                throw new UserError(record, null, $"is the reversal of transaction {of}; post that transaction again instead");
            }
            var year = FinancialYear.Read(connection, transaction, FinancialYear.Today(session));
            var on = date ?? (original.Date < year.OpenFrom ? year.OpenFrom : original.Date);
            year.CheckDate(on, record);
            var currency = original.Currency;
            var amount = currency.ToMinor(original.Amount);
            var key = Codes.Key(original.Account);
            var created = Timestamps.Format(session.Now);

            // What it was allocated to is outstanding again.
            using (var command = Sql.Command(connection, transaction,
                "SELECT CASE WHEN debit_id = @id THEN credit_id ELSE debit_id END, SUM(amount) FROM ledger_allocations WHERE debit_id = @id OR credit_id = @id GROUP BY CASE WHEN debit_id = @id THEN credit_id ELSE debit_id END",
                ("id", id)))
            {
                var undo = new List<(long Other, long Amount)>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        undo.Add((reader.GetInt64(0), reader.GetInt64(1)));
                    }
                }
                foreach (var (other, allocated) in undo.Where(u => u.Amount != 0))
                {
                    var (debit, credit) = amount > 0 ? (id, other) : (other, id);
                    Allocation(connection, transaction, key, debit, credit, -allocated, on, created);
                }
            }
            var reversalId = Sql.ScalarRepeated<long>(connection, transaction,
                "INSERT INTO ledger_transactions (account_key, named_key, kind, posted_on, reference, line_for, currency, amount, vat, outstanding, reverses, created_at, created_by) " +
                "SELECT account_key, named_key, kind, @on, reference, line_for, currency, -amount, -vat, 0, id, @at, @by FROM ledger_transactions WHERE id = @id RETURNING id",
                ("on", FinancialYear.Text(on)), ("at", created), ("by", session.User.Name), ("id", id));
            if (Sql.Execute(connection, transaction, "UPDATE ledger_transactions SET outstanding = 0, reversed_by = @r WHERE id = @id AND reversed_by IS NULL", ("r", reversalId), ("id", id)) != 1)
            {
                throw new UserError(record, null, "was reversed meanwhile, by someone else");
            }
            var (pairDebit, pairCredit) = amount > 0 ? (id, reversalId) : (reversalId, id);
            Sql.Execute(connection, transaction,
                "INSERT INTO ledger_allocations (account_key, debit_id, credit_id, amount, allocated_on, created_at, created_by) VALUES (@k, @d, @c, @a, @on, @at, @by)",
                ("k", key), ("d", pairDebit), ("c", pairCredit), ("a", Math.Abs(amount)), ("on", FinancialYear.Text(on)), ("at", created), ("by", session.User.Name));
            Sql.Execute(connection, transaction, "UPDATE ledger_accounts SET balance = balance - @m WHERE code_key = @k",
                ("m", currency.Rescale(amount, LedgerAccount.BalanceUnits)), ("k", key));
            return reversalId;
        });
        return Find(reversal);
    }

    /// <summary>
    /// Allocates a credit (receipt, credit note, credit adjustment) to a debit (invoice, refund,
    /// debit adjustment) of the same account, fully or partly (L7); the balance does not move,
    /// the items' outstanding amounts do.
    /// </summary>
    public decimal Allocate(string account, long debitId, long creditId, decimal? amount = null, DateOnly? date = null)
    {
        session.Require(Role.Clerk, "allocate transactions");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var record = $"allocation on {account}";
            var (_, target) = new AccountCache(connection, transaction).Target(account, record);
            var debit = Find(connection, transaction, debitId);
            var credit = Find(connection, transaction, creditId);
            if (debit is null || !Codes.Same(debit.Account, target.Code))
            {
                throw new UserError(record, "debit", $"transaction {debitId} is not posted to {target.Code}");
            }
            if (credit is null || !Codes.Same(credit.Account, target.Code))
            {
                throw new UserError(record, "credit", $"transaction {creditId} is not posted to {target.Code}");
            }
            if (debit.Outstanding <= 0)
            {
                throw new UserError(record, "debit", $"transaction {debitId} ({LedgerTransaction.Name(debit.Kind)}) has nothing owed outstanding");
            }
            if (credit.Outstanding >= 0)
            {
                throw new UserError(record, "credit", $"transaction {creditId} ({LedgerTransaction.Name(credit.Kind)}) has no credit left to allocate");
            }
            var currency = debit.Currency;
            var most = Math.Min(debit.Outstanding, -credit.Outstanding);
            var allocated = amount ?? most;
            if (allocated <= 0 || allocated > most)
            {
                throw new UserError(record, "amount", $"{currency.Format(allocated)} is not between 0 and {currency.Format(most)}, what is left of both");
            }
            var minor = UserError.Guard(record, "amount", () => currency.ToMinor(allocated));
            var on = date ?? FinancialYear.Today(session);
            FinancialYear.Read(connection, transaction, FinancialYear.Today(session)).CheckDate(on, record);
            Allocation(connection, transaction, target.Key, debitId, creditId, minor, on, Timestamps.Format(session.Now));
            return allocated;
        });
    }

    /// <summary>Allocates the account's credits to its debits, oldest first on both sides; returns how much was allocated.</summary>
    public decimal AllocateOldestFirst(string account, DateOnly? date = null)
    {
        session.Require(Role.Clerk, "allocate transactions");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var (_, target) = new AccountCache(connection, transaction).Target(account, $"allocation on {account}");
            var open = Open(connection, transaction, target.Key);
            var debits = open.Where(o => o.Left > 0).ToArray();
            var credits = open.Where(o => o.Left < 0).Select(o => (o.Id, Left: -o.Left)).ToArray();
            var on = date ?? FinancialYear.Today(session);
            FinancialYear.Read(connection, transaction, FinancialYear.Today(session)).CheckDate(on, $"allocation on {account}");
            var created = Timestamps.Format(session.Now);
            long total = 0;
            // Two walks, oldest first: each step settles what is left of the debit or of the credit, or both.
            for (int d = 0, c = 0; d < debits.Length && c < credits.Length;)
            {
                var amount = Math.Min(debits[d].Left, credits[c].Left);
                Allocation(connection, transaction, target.Key, debits[d].Id, credits[c].Id, amount, on, created);
                total += amount;
                debits[d].Left -= amount;
                credits[c].Left -= amount;
                d += debits[d].Left == 0 ? 1 : 0;
                c += credits[c].Left == 0 ? 1 : 0;
            }
            return Currency.Of(target.Currency).FromMinor(total);
        });
    }

    private static List<(long Id, long Left)> Open(DbConnection connection, DbTransaction transaction, string key)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT id, outstanding FROM ledger_transactions WHERE account_key = @k AND outstanding <> 0 ORDER BY posted_on, id", ("k", key));
        using var reader = command.ExecuteReader();
        var open = new List<(long, long)>();
        while (reader.Read())
        {
            open.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        return open;
    }

    private void Allocation(DbConnection connection, DbTransaction transaction, string key, long debit, long credit, long amount, DateOnly on, string created)
    {
        Sql.ExecuteRepeated(connection, transaction,
            "INSERT INTO ledger_allocations (account_key, debit_id, credit_id, amount, allocated_on, created_at, created_by) VALUES (@k, @d, @c, @a, @on, @at, @by)",
            ("k", key), ("d", debit), ("c", credit), ("a", amount), ("on", FinancialYear.Text(on)), ("at", created), ("by", session.User.Name));
        // Guarded, so that another allocation committed meanwhile (another process) cannot take an item past zero.
        var settled = Sql.ExecuteRepeated(connection, transaction,
            "UPDATE ledger_transactions SET outstanding = outstanding - @a WHERE id = @id AND (@a < 0 OR outstanding >= @a)", ("a", amount), ("id", debit))
            + Sql.ExecuteRepeated(connection, transaction,
            "UPDATE ledger_transactions SET outstanding = outstanding + @a WHERE id = @id AND (@a < 0 OR outstanding <= -@a)", ("a", amount), ("id", credit));
        if (settled != 2)
        {
            throw new UserError($"allocation on {key}", "amount", $"transactions {debit} and {credit} changed meanwhile (allocated by someone else); look again and allocate what is left");
        }
    }

    /// <summary>The transactions posted to an account or named on it (a delivery account), oldest first.</summary>
    public IReadOnlyList<LedgerTransaction> List(string account)
    {
        using var connection = session.Database.OpenConnection();
        var (named, _) = new AccountCache(connection, null).Target(account, $"account {account}", follow: false);
        using var command = Sql.Command(connection, null,
            $"SELECT {LedgerTransaction.Columns} FROM {LedgerTransaction.From} WHERE t.account_key = @k OR t.named_key = @k ORDER BY t.posted_on, t.id", ("k", named.Key));
        using var reader = command.ExecuteReader();
        var list = new List<LedgerTransaction>();
        while (reader.Read())
        {
            list.Add(LedgerTransaction.Read(reader));
        }
        return list;
    }

    public LedgerTransaction Find(long id)
    {
        using var connection = session.Database.OpenConnection();
        return Find(connection, null, id) ?? throw new UserError($"transaction {id}", null, "does not exist");
    }

    private static LedgerTransaction? Find(DbConnection connection, DbTransaction? transaction, long id)
    {
        using var command = Sql.Command(connection, transaction, $"SELECT {LedgerTransaction.Columns} FROM {LedgerTransaction.From} WHERE t.id = @id", ("id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? LedgerTransaction.Read(reader) : null;
    }

    private static string Label(Posting posting) => $"{LedgerTransaction.Name(posting.Kind)} for {posting.Account}";

    /// <summary>The amount and VAT as stored: minor units, signed by which way they move the balance.</summary>
    private static (long Amount, long Vat) Signed(Posting posting, Currency currency, string record)
    {
        if (Math.Abs(posting.Amount) >= LedgerAccount.MaxBalance)
        {
            throw new UserError(record, "amount", $"{Money.Format(posting.Amount)} is more than the ledger keeps ({Money.Format(LedgerAccount.MaxBalance)})");
        }
        var amount = UserError.Guard(record, "amount", () => currency.ToMinor(posting.Amount));
        var vat = UserError.Guard(record, "vat", () => currency.ToMinor(posting.Vat));
        if (posting.Kind == TransactionKind.Adjustment)
        {
            if (amount == 0)
            {
                throw new UserError(record, "amount", "is 0; an adjustment is positive (the customer owes more) or negative (owes less)");
            }
        }
        else if (amount <= 0)
        {
            throw new UserError(record, "amount", $"{currency.Format(posting.Amount)} is not positive; a {LedgerTransaction.Name(posting.Kind)} is posted as a positive amount (reverse one to undo it)");
        }
        if (vat != 0 && posting.Kind is not (TransactionKind.Invoice or TransactionKind.Credit))
        {
            throw new UserError(record, "vat", $"only invoices and credit notes carry VAT, not a {LedgerTransaction.Name(posting.Kind)}");
        }
        if (vat != 0 && (vat < 0 || vat > amount))
        {
            throw new UserError(record, "vat", $"{currency.Format(posting.Vat)} is not between 0 and the amount {currency.Format(posting.Amount)}, which includes it");
        }
        var sign = posting.Kind is TransactionKind.Credit or TransactionKind.Receipt ? -1 : 1;
        return (sign * amount, sign * vat);
    }

    private static string? Text(string? value, string record, string field, int max) =>
        UserError.Guard(record, field, () => TextRules.Optional(value, max));

    /// <summary>The accounts postings name, read once per store transaction: the account named, and the one it posts to.</summary>
    private sealed class AccountCache(DbConnection connection, DbTransaction? transaction)
    {
        public Dictionary<string, AccountRow> ByKey { get; } = new(StringComparer.Ordinal);

        /// <summary>The account named and the one its postings go to; <paramref name="follow"/> false reads the named one only (to list what is on it).</summary>
        public (AccountRow Named, AccountRow Target) Target(string code, string record, bool follow = true)
        {
            var named = Row(code) ?? throw new UserError(record, "account", $"'{code}' does not exist in the ledger");
            if (named.Model && follow)
            {
                throw new UserError(record, "account", $"'{named.Code}' is a model account; post to a customer's account");
            }
            var target = named;
            for (var step = 0; follow && target.LedgerAccount is { } parent; step++)
            {
                if (step == AccountRules.MaxChain)
                {
                    throw new UserError(record, "account", $"'{named.Code}' posts through more than {AccountRules.MaxChain} ledger accounts");
                }
                target = Row(parent) ?? throw new UserError(record, "account", $"'{named.Code}' posts to ledger account '{parent}', which does not exist");
            }
            return (named, target);
        }

        private const string Select = "SELECT code_key, code, ledger_account, currency, credit_limit, balance, is_model FROM ledger_accounts WHERE code_key";

        /// <summary>Reads these accounts, and the ledger accounts they post to, a few queries for many (a batch's postings); those missing stay missing.</summary>
        public void Load(IEnumerable<string> codes)
        {
            var keys = codes.Select(c => Codes.Key(c.Trim())).Where(k => !ByKey.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
            for (var step = 0; keys.Count > 0 && step <= AccountRules.MaxChain; step++)
            {
                var read = new List<AccountRow>();
                Sql.ForEachIn(connection, transaction, Select + " IN", keys, reader => read.Add(Read(reader)));
                read.ForEach(row => ByKey[row.Key] = row);
                keys = read.Where(r => r.LedgerAccount is not null).Select(r => Codes.Key(r.LedgerAccount!)).Where(k => !ByKey.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
            }
        }

        private AccountRow? Row(string code)
        {
            var key = Codes.Key(code.Trim());
            if (ByKey.TryGetValue(key, out var row))
            {
                return row;
            }
            using var reader = Sql.QueryRepeated(connection, transaction, Select + " = @k", ("k", key));
            if (!reader.Read())
            {
                return null;
            }
            row = Read(reader);
            ByKey[key] = row;
            return row;
        }

        private static AccountRow Read(DbDataReader reader) =>
            new(reader.GetString(0), reader.GetString(1), reader.TextOrNull(2), reader.TextOrNull(3), reader.GetInt64(4), reader.GetBoolean(6)) { Balance = reader.GetInt64(5) };
    }

    /// <summary>What posting needs of an account: the credit limit in hundredths (<see cref="Money.ToCents"/>), the balance in <see cref="LedgerAccount.BalanceUnits"/>.</summary>
    private sealed record AccountRow(string Key, string Code, string? LedgerAccount, string? Currency, long CreditLimit, bool Model)
    {
        public long Balance { get; set; }
    }
}
