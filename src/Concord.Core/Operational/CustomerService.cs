using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Operational;

/// <summary>Operational customers: add, edit, link and unlink (O1, O2, O5), every write audited.</summary>
public sealed class CustomerService(Session session)
{
    /// <summary>A reference snapshot to check against instead of reading the tables for each write (bulk work).</summary>
    public ReferenceResolver? References { get; init; }

    /// <summary>A transaction to add and edit within (a batch of sync writes) instead of one per write.</summary>
    public (DbConnection Connection, DbTransaction Transaction)? Within { get; init; }

    private T Write<T>(Func<DbConnection, DbTransaction, T> work) =>
        Within is { } within ? work(within.Connection, within.Transaction) : session.Database.InTransaction(work);

    public static readonly RecordTable<OperationalCustomer> Table = new(OperationalCustomer.Schema, journaled: true);

    public OperationalCustomer Add(IReadOnlyDictionary<string, string?> values)
    {
        session.Require(Role.Clerk, "add customers");
        return Write((connection, transaction) =>
        {
            var customer = Build(connection, transaction, values, code => Table.Find(connection, transaction, code)?.Code, session.Now);
            Table.Insert(connection, transaction, customer);
            session.Audit.Write(connection, transaction, "create", "customer", customer.Code, null, OperationalCustomer.Schema.ToAuditJson(customer));
            return customer;
        });
    }

    /// <summary>
    /// Adds many customers at once (a sync batch) in the caller's transaction: each is checked as by
    /// <see cref="Add"/>, a refused one is refused alone with its error, the rest are written by the
    /// store's bulk path, each with its own audit line.
    /// </summary>
    public IReadOnlyList<(OperationalCustomer? Customer, UserError? Refused)> AddMany(IReadOnlyList<IReadOnlyDictionary<string, string?>> values)
    {
        session.Require(Role.Clerk, "add customers");
        return Write((connection, transaction) => Table.AddMany(session, connection, transaction, values,
            (value, stored, now) => Build(connection, transaction, value, stored, now)));
    }

    /// <summary>
    /// Which of these new customers <see cref="AddMany"/> would refuse, and why, writing nothing: each
    /// is built and checked by the same rules (for a sync preview, S11).
    /// </summary>
    public IReadOnlyList<UserError?> Refusals(IReadOnlyList<IReadOnlyDictionary<string, string?>> values)
    {
        using var connection = session.Database.OpenConnection();
        return RecordTable<OperationalCustomer>.Refusals(session, values, (value, stored, now) => Build(connection, null, value, stored, now));
    }

    /// <summary>A new customer from the values, checked by every rule; <paramref name="stored"/> gives the code as stored of an existing customer.</summary>
    private OperationalCustomer Build(DbConnection connection, DbTransaction? transaction, IReadOnlyDictionary<string, string?> values, Func<string, string?> stored, DateTimeOffset now)
    {
        var errors = new List<RecordError>();
        var customer = new OperationalCustomer();
        RecordEditor.Apply(OperationalCustomer.Schema, customer, values, $"customer {values.GetValueOrDefault("code")}", errors);
        if (!values.ContainsKey("sync-to-accounting"))
        {
            customer.SyncToAccounting = customer.IsAccountCustomer;
        }
        RecordEditor.ThrowIfAny(errors);
        if (stored(customer.Code) is { } existing)
        {
            throw new UserError($"customer {customer.Code}", "code", $"already exists (as '{existing}'); customer codes are unique, whatever their case");
        }
        CustomerRules.Check(customer, References ?? new ReferenceResolver(connection, transaction), c => Table.Find(connection, transaction, c), errors);
        RecordEditor.ThrowIfAny(errors);
        customer.CreatedAt = customer.ModifiedAt = now;
        return customer;
    }

    public OperationalCustomer Edit(string code, IReadOnlyDictionary<string, string?> values)
    {
        session.Require(Role.Clerk, "edit customers");
        return Write((connection, transaction) =>
        {
            var before = Get(connection, transaction, code);
            var customer = RecordEditor.Edited(OperationalCustomer.Schema, before, values);
            return Save(connection, transaction, before, customer);
        });
    }

    /// <summary>Links an operational customer to the account customer it posts to (O2).</summary>
    public OperationalCustomer Link(string operationalCode, string accountCode) =>
        Edit(operationalCode, new Dictionary<string, string?> { ["account"] = accountCode });

    public OperationalCustomer Unlink(string operationalCode)
    {
        session.Require(Role.Clerk, "unlink customers");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var before = Get(connection, transaction, operationalCode);
            if (before.Account is null)
            {
                throw new UserError($"customer {before.Code}", "account", "is not linked to an account customer");
            }
            var customer = RecordEditor.Copy(OperationalCustomer.Schema, before);
            customer.Account = null;
            return Save(connection, transaction, before, customer);
        });
    }

    /// <summary>Whether a customer has this code (in any case).</summary>
    public bool Exists(string code)
    {
        using var connection = session.Database.OpenConnection();
        return Table.Find(connection, null, code) is not null;
    }

    public OperationalCustomer Get(string code)
    {
        using var connection = session.Database.OpenConnection();
        return Get(connection, null, code);
    }

    /// <summary>The operational customers linked to an account customer.</summary>
    public IReadOnlyList<string> LinkedTo(string accountCode)
    {
        using var connection = session.Database.OpenConnection();
        return [.. Table.Stream(connection, "account = @a", ("a", Get(connection, null, accountCode).Code)).Select(c => c.Code)];
    }

    /// <summary>Streams the listing; the caller must enumerate it while <paramref name="connection"/> is open.</summary>
    public static IEnumerable<OperationalCustomer> List(DbConnection connection, CustomerFilter filter)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        if (filter.Site is { } site)
        {
            conditions.Add("site = @site");
            parameters.Add(("site", Site(connection, site)));
        }
        if (filter.Type is { } type)
        {
            conditions.Add("UPPER(type) = @type");
            parameters.Add(("type", Codes.Key(type)));
        }
        if (filter.Kind is { } kind)
        {
            conditions.Add("kind = @kind");
            parameters.Add(("kind", kind));
        }
        if (!filter.IncludeInactive)
        {
            conditions.Add("active");
        }
        return Table.Stream(connection, string.Join(" AND ", conditions), [.. parameters]);
    }

    /// <summary>A site a listing is asked for, as the store spells it; one that does not exist is refused naming it.</summary>
    internal static string Site(DbConnection connection, string site) =>
        new ReferenceResolver(connection, null).Find("site", site)
        ?? throw new UserError($"site {site}", null, $"does not exist; '{CommandHint.For("sites list")}' shows the sites");

    private OperationalCustomer Save(DbConnection connection, DbTransaction transaction, OperationalCustomer before, OperationalCustomer customer)
    {
        var errors = new List<RecordError>();
        CustomerRules.Check(customer, References ?? new ReferenceResolver(connection, transaction), c => Table.Find(connection, transaction, c), errors);
        CustomerRules.CheckChange(before, customer, code => HasLinked(connection, transaction, code), errors);
        RecordEditor.ThrowIfAny(errors);
        customer.ModifiedAt = session.Now;
        Table.Update(connection, transaction, customer);
        session.Audit.Write(connection, transaction, "update", "customer", customer.Code,
            OperationalCustomer.Schema.ToAuditJson(before), OperationalCustomer.Schema.ToAuditJson(customer));
        return customer;
    }

    /// <summary>Whether operational customers link to the account customer <paramref name="code"/>.</summary>
    public static bool HasLinked(DbConnection connection, DbTransaction? transaction, string code) =>
        Sql.Scalar<long>(connection, transaction, "SELECT COUNT(*) FROM customers WHERE account = @a", ("a", code)) > 0;

    private static OperationalCustomer Get(DbConnection connection, DbTransaction? transaction, string code) =>
        Table.Find(connection, transaction, code)
        ?? throw new UserError($"customer {code}", null, "does not exist");
}
