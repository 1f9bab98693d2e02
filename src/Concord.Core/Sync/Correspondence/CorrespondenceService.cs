using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using Concord.Core.Users;

namespace Concord.Core.Sync.Correspondence;

/// <summary>
/// The correspondence table as a person works with it (S3, S7): list it, mark a record never
/// sync and allow it again, confirm a proposed match, or confirm that a record is new.
/// </summary>
public sealed class CorrespondenceService(Session session)
{
    public (SyncConnection Connection, IReadOnlyList<Link> Links) List(string name)
    {
        var connection = new ConnectionService(session).Get(name);
        using var db = session.Database.OpenConnection();
        return (connection, [.. new LinkStore(connection.Id).All(db)]);
    }

    /// <summary>Never sync (or allow again) the record with this code on either side; reversible.</summary>
    public async Task<Link> NeverAsync(string name, string code, bool never, CancellationToken cancellation)
    {
        session.Require(Role.Clerk, "change the correspondence table");
        var connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        using var operational = ConnectorFactory.Operational(session, connection);
        using var db = session.Database.OpenConnection();
        return await SetNeverAsync(db, connection, new LinkStore(connection.Id), operational, accounting, code, never, cancellation).ConfigureAwait(false);
    }

    internal async Task<Link> SetNeverAsync(DbConnection db, SyncConnection connection, LinkStore links, IConnector operational, IConnector accounting, string code, bool never, CancellationToken cancellation)
    {
        var label = $"connection {connection.Name} record {code}";
        var link = links.ByOperational(db, null, code) ?? links.ByAccounting(db, null, code);
        using var transaction = db.BeginTransaction();
        if (link is not null)
        {
            if (!never && link.Option != LinkOption.Never)
            {
                throw new UserError(label, "option", "is not marked never sync");
            }
            if (!never && (link.OperationalCode is null || link.AccountingCode is null))
            {
                links.Remove(db, transaction, link.Id);
            }
            else
            {
                links.SetOption(db, transaction, link.Id, never ? LinkOption.Never : LinkOption.Normal);
            }
        }
        else if (!never)
        {
            throw new UserError(label, "option", "is not marked never sync");
        }
        else
        {
            var onOperational = await operational.FindByCodeAsync(code, cancellation).ConfigureAwait(false);
            var onAccounting = onOperational is null ? await accounting.FindByCodeAsync(code, cancellation).ConfigureAwait(false) : null;
            if (onOperational is null && onAccounting is null)
            {
                throw new UserError(label, "code", "is neither an operational nor an accounting customer of this connection");
            }
            links.Put(db, transaction, onOperational?.Code, onAccounting?.Code, LinkOption.Never, null, session.User.Name, null);
        }
        if (!never)
        {
            Revisit(db, transaction, connection, link?.OperationalCode, link?.AccountingCode);
        }
        session.Audit.Write(db, transaction, never ? "never-sync" : "allow-sync", "correspondence", code, null, System.Text.Json.JsonSerializer.Serialize(new { connection = connection.Name }));
        transaction.Commit();
        return (links.ByOperational(db, null, code) ?? links.ByAccounting(db, null, code))
            ?? new Link(0, null, null, LinkOption.Normal, null, session.User.Name, null);
    }

    /// <summary>A person's decision about these records: the next run plans them again, changed or not.</summary>
    private static void Revisit(DbConnection db, DbTransaction transaction, SyncConnection connection, string? operational, string? accounting)
    {
        var deferred = new Deferred(connection.Id);
        if (operational is not null)
        {
            deferred.Add(db, transaction, "operational", operational, "decided");
        }
        if (accounting is not null)
        {
            deferred.Add(db, transaction, "accounting", accounting, "decided");
        }
    }

    /// <summary>Confirms that two records are the same customer (a proposal accepted): they are linked.</summary>
    public Task ConfirmAsync(string name, string operationalCode, string accountingCode, CancellationToken cancellation) =>
        ConfirmAsync(name, [(operationalCode, accountingCode)], cancellation);

    /// <summary>
    /// Confirms pairs of records as the same customers (proposals accepted, e.g. every one above a
    /// score a person named): all linked in one transaction, or none when one cannot be.
    /// </summary>
    public async Task ConfirmAsync(string name, IReadOnlyList<(string Operational, string Accounting)> pairs, CancellationToken cancellation)
    {
        session.Require(Role.Clerk, "change the correspondence table");
        var connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        using var operational = ConnectorFactory.Operational(session, connection);
        var ops = await FindAllAsync(operational, [.. pairs.Select(p => p.Operational)], "operational customer", "does not take part in this connection", cancellation).ConfigureAwait(false);
        var accs = await FindAllAsync(accounting, [.. pairs.Select(p => p.Accounting)], "accounting customer", "does not exist in the accounting system", cancellation).ConfigureAwait(false);
        using var db = session.Database.OpenConnection();
        var links = new LinkStore(connection.Id);
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (opCode, accCode) in pairs)
        {
            var (op, acc) = (ops[Codes.Key(opCode)], accs[Codes.Key(accCode)]);
            if (links.ByOperational(db, null, op.Code) is { AccountingCode: { } linked } && !Codes.Same(linked, acc.Code))
            {
                throw new UserError($"operational customer {op.Code}", "link", $"is already linked to {linked}");
            }
            if (links.ByAccounting(db, null, acc.Code) is { OperationalCode: { } other } && !Codes.Same(other, op.Code)
                || chosen.TryGetValue(acc.Key, out other) && !Codes.Same(other, op.Code))
            {
                throw new UserError($"accounting customer {acc.Code}", "link", $"is already linked to {other}");
            }
            chosen[acc.Key] = op.Code;
        }
        using var transaction = db.BeginTransaction();
        foreach (var (opCode, accCode) in pairs)
        {
            var (op, acc) = (ops[Codes.Key(opCode)], accs[Codes.Key(accCode)]);
            links.Put(db, transaction, op.Code, acc.Code, LinkOption.Normal, null, session.User.Name, null);
            Revisit(db, transaction, connection, op.Code, acc.Code);
            session.Audit.Write(db, transaction, "link", "correspondence", op.Code, null, System.Text.Json.JsonSerializer.Serialize(new { connection = connection.Name, accounting = acc.Code }));
        }
        transaction.Commit();
    }

    /// <summary>Confirms that an operational customer is new although it resembles another (a proposal rejected).</summary>
    public Task ConfirmNewAsync(string name, string operationalCode, CancellationToken cancellation) =>
        ConfirmNewAsync(name, [operationalCode], cancellation);

    /// <summary>Confirms operational customers as new (proposals rejected): all in one transaction, or none.</summary>
    public async Task ConfirmNewAsync(string name, IReadOnlyList<string> operationalCodes, CancellationToken cancellation)
    {
        session.Require(Role.Clerk, "change the correspondence table");
        var connection = new ConnectionService(session).Get(name);
        using var operational = ConnectorFactory.Operational(session, connection);
        var ops = await FindAllAsync(operational, operationalCodes, "operational customer", "does not take part in this connection", cancellation).ConfigureAwait(false);
        using var db = session.Database.OpenConnection();
        var links = new LinkStore(connection.Id);
        foreach (var op in ops.Values)
        {
            if (links.ByOperational(db, null, op.Code) is { AccountingCode: not null } existing)
            {
                throw new UserError($"operational customer {op.Code}", "link", $"is already linked to {existing.AccountingCode}");
            }
        }
        using var transaction = db.BeginTransaction();
        foreach (var op in ops.Values)
        {
            links.Put(db, transaction, op.Code, null, LinkOption.New, null, session.User.Name, null);
            Revisit(db, transaction, connection, op.Code, null);
            session.Audit.Write(db, transaction, "confirm-new", "correspondence", op.Code, null, System.Text.Json.JsonSerializer.Serialize(new { connection = connection.Name }));
        }
        transaction.Commit();
    }

    /// <summary>The records of these codes on one side, by key; a code that is none is refused, naming it.</summary>
    private static async Task<Dictionary<string, SyncRecord>> FindAllAsync(IConnector side, IReadOnlyList<string> codes, string record, string missing, CancellationToken cancellation)
    {
        var found = await side.FindEachAsync(codes, cancellation).ConfigureAwait(false);
        var records = new Dictionary<string, SyncRecord>(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            records[Codes.Key(code)] = found[Codes.Key(code)] ?? throw new UserError($"{record} {code}", null, missing);
        }
        return records;
    }
}
