using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Operational;

/// <summary>Customer classes (O3): add, change and list them, every write audited.</summary>
public sealed class CustomerClassService(Session session)
{
    public static readonly RecordTable<CustomerClass> Table = new(CustomerClass.Schema);

    public CustomerClass Add(IReadOnlyDictionary<string, string?> values)
    {
        session.Require(Role.Clerk, "add customer classes");
        var label = $"customer-class {values.GetValueOrDefault("code")}";
        var errors = new List<RecordError>();
        var added = new CustomerClass();
        RecordEditor.Apply(CustomerClass.Schema, added, values, label, errors);
        RecordEditor.ThrowIfAny(errors);
        Check(added, errors);
        RecordEditor.ThrowIfAny(errors);
        return session.Database.InTransaction((connection, transaction) =>
        {
            if (Table.Find(connection, transaction, added.Code) is { } existing)
            {
                throw new UserError($"customer-class {added.Code}", "code", $"already exists (as '{existing.Code}')");
            }
            added.CreatedAt = added.ModifiedAt = session.Now;
            Table.Insert(connection, transaction, added);
            session.Audit.Write(connection, transaction, "create", CustomerClass.Schema.Entity, added.Code, null, CustomerClass.Schema.ToAuditJson(added));
            return added;
        });
    }

    public CustomerClass Edit(string code, IReadOnlyDictionary<string, string?> values)
    {
        session.Require(Role.Clerk, "change customer classes");
        return session.Database.InTransaction((connection, transaction) =>
        {
            var before = Table.Find(connection, transaction, code) ?? throw NotFound(code);
            var edited = RecordEditor.Edited(CustomerClass.Schema, before, values);
            var errors = new List<RecordError>();
            Check(edited, errors);
            RecordEditor.ThrowIfAny(errors);
            edited.ModifiedAt = session.Now;
            Table.Update(connection, transaction, edited);
            session.Audit.Write(connection, transaction, "update", CustomerClass.Schema.Entity, edited.Code,
                CustomerClass.Schema.ToAuditJson(before), CustomerClass.Schema.ToAuditJson(edited));
            return edited;
        });
    }

    public IReadOnlyList<CustomerClass> List()
    {
        using var connection = session.Database.OpenConnection();
        return All(connection, null);
    }

    /// <summary>Every class (a handful), in code order.</summary>
    public static List<CustomerClass> All(DbConnection connection, DbTransaction? transaction) =>
        [.. Table.Stream(connection, transaction, "").OrderBy(c => c.Code, Codes.Comparer)];

    /// <summary>A generic class names the account it posts to; a 1:1 class has none (its customers' own accounts are where it posts).</summary>
    private static void Check(CustomerClass customerClass, List<RecordError> errors)
    {
        var label = $"customer-class {customerClass.Code}";
        if (customerClass.IsGeneric && customerClass.GenericAccount is null)
        {
            errors.Add(new RecordError(label, "generic-account", "is required for a generic class: the ledger account its invoices post to (e.g. cash sales)"));
        }
        if (!customerClass.IsGeneric && customerClass.GenericAccount is not null)
        {
            errors.Add(new RecordError(label, "generic-account", "only a generic class has one; a class with posting 'account' posts to each customer's own account"));
        }
    }

    private static UserError NotFound(string code) =>
        new($"customer-class {code}", null, $"does not exist; '{CommandHint.For("classes list")}' shows the classes");
}
