using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Ledger;

/// <summary>The ledger's reference data (L2) and its options and terms profiles (L4).</summary>
public sealed class ReferenceService(Session session)
{
    public IReadOnlyList<ReferenceEntry> List(string kind)
    {
        var checkedKind = CheckKind(kind);
        using var connection = session.Database.OpenConnection();
        using var command = Sql.Command(connection, null, "SELECT code, name FROM ledger_reference WHERE kind = @k ORDER BY code_key", ("k", checkedKind));
        using var reader = command.ExecuteReader();
        var entries = new List<ReferenceEntry>();
        while (reader.Read())
        {
            entries.Add(new ReferenceEntry(checkedKind, reader.GetString(0), reader.GetString(1)));
        }
        return entries;
    }

    public ReferenceEntry Add(string kind, string code, string name)
    {
        session.Require(Role.Clerk, "add reference data");
        var checkedKind = CheckKind(kind);
        var label = $"{checkedKind} {code}";
        var entry = new ReferenceEntry(checkedKind,
            UserError.Guard(label, "code", () => Codes.Check(code)),
            RequiredName(label, name));
        session.Database.InTransaction((connection, transaction) =>
        {
            if (new ReferenceResolver(connection, transaction).Find(checkedKind, entry.Code) is { } existing)
            {
                throw new UserError(label, "code", $"already exists (as '{existing}')");
            }
            Sql.Execute(connection, transaction, "INSERT INTO ledger_reference (kind, code, code_key, name) VALUES (@k, @c, @ck, @n)",
                ("k", checkedKind), ("c", entry.Code), ("ck", Codes.Key(entry.Code)), ("n", entry.Name));
            session.Audit.Write(connection, transaction, "create", checkedKind, entry.Code, null, System.Text.Json.JsonSerializer.Serialize(entry));
        });
        return entry;
    }

    public IReadOnlyList<OptionsProfile> OptionsProfiles()
    {
        using var connection = session.Database.OpenConnection();
        return [.. ReadOptions(connection, null, null)];
    }

    public IReadOnlyList<TermsProfile> TermsProfiles()
    {
        using var connection = session.Database.OpenConnection();
        return [.. ReadTerms(connection, null, null)];
    }

    public OptionsProfile AddOptions(string code, string name, string currency, string? controlAccount, string? bank)
    {
        session.Require(Role.Clerk, "add profiles");
        var label = $"options-profile {code}";
        var checkedCode = UserError.Guard(label, "code", () => Codes.Check(code));
        var checkedName = RequiredName(label, name);
        return session.Database.InTransaction((connection, transaction) =>
        {
            var references = new ReferenceResolver(connection, transaction);
            if (references.Find("options-profile", checkedCode) is not null)
            {
                throw new UserError(label, "code", "already exists");
            }
            var profile = new OptionsProfile(checkedCode, checkedName,
                references.Find("currency", currency) ?? throw new UserError(label, "currency", $"'{currency}' is not a known currency; add it first with '{CommandHint.For($"ledger reference add currency {CommandHint.Quote(currency)} --name …")}'"),
                controlAccount, bank);
            Sql.Execute(connection, transaction,
                "INSERT INTO ledger_options_profiles (code, code_key, name, currency, control_account, bank) VALUES (@c, @ck, @n, @cur, @ctl, @b)",
                ("c", profile.Code), ("ck", Codes.Key(profile.Code)), ("n", profile.Name), ("cur", profile.Currency), ("ctl", controlAccount), ("b", bank));
            session.Audit.Write(connection, transaction, "create", "options-profile", profile.Code, null, System.Text.Json.JsonSerializer.Serialize(profile));
            return profile;
        });
    }

    public TermsProfile AddTerms(string code, string name, decimal creditLimit, int paymentDays)
    {
        session.Require(Role.Clerk, "add profiles");
        var label = $"terms-profile {code}";
        var checkedCode = UserError.Guard(label, "code", () => Codes.Check(code));
        var checkedName = RequiredName(label, name);
        if (creditLimit < 0)
        {
            throw new UserError(label, "credit-limit", "must be 0 or more (0 means unlimited)");
        }
        if (paymentDays < 0)
        {
            throw new UserError(label, "payment-days", "must be 0 or more");
        }
        var cents = UserError.Guard(label, "credit-limit", () => Money.ToCents(creditLimit));
        return session.Database.InTransaction((connection, transaction) =>
        {
            if (new ReferenceResolver(connection, transaction).Find("terms-profile", checkedCode) is not null)
            {
                throw new UserError(label, "code", "already exists");
            }
            var profile = new TermsProfile(checkedCode, checkedName, creditLimit, paymentDays);
            Sql.Execute(connection, transaction,
                "INSERT INTO ledger_terms_profiles (code, code_key, name, credit_limit, payment_days) VALUES (@c, @ck, @n, @l, @d)",
                ("c", profile.Code), ("ck", Codes.Key(profile.Code)), ("n", profile.Name), ("l", cents), ("d", (long)paymentDays));
            session.Audit.Write(connection, transaction, "create", "terms-profile", profile.Code, null, System.Text.Json.JsonSerializer.Serialize(profile));
            return profile;
        });
    }

    internal static IEnumerable<OptionsProfile> ReadOptions(DbConnection connection, DbTransaction? transaction, string? code)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT code, name, currency, control_account, bank FROM ledger_options_profiles" + (code is null ? "" : " WHERE code_key = @k") + " ORDER BY code_key",
            ("k", code is null ? "" : Codes.Key(code)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new OptionsProfile(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.TextOrNull(3), reader.TextOrNull(4));
        }
    }

    internal static IEnumerable<TermsProfile> ReadTerms(DbConnection connection, DbTransaction? transaction, string? code)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT code, name, credit_limit, payment_days FROM ledger_terms_profiles" + (code is null ? "" : " WHERE code_key = @k") + " ORDER BY code_key",
            ("k", code is null ? "" : Codes.Key(code)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new TermsProfile(reader.GetString(0), reader.GetString(1), Money.FromCents(reader.GetInt64(2)), (int)reader.GetInt64(3));
        }
    }

    private static string CheckKind(string kind)
    {
        var wanted = kind.Trim().ToLowerInvariant() switch
        {
            "regions" => "region",
            "territories" => "territory",
            "types" => "type",
            "cost-centres" => "cost-centre",
            "departments" => "department",
            "despatch-methods" => "despatch-method",
            "routes" => "route",
            "countries" => "country",
            "currencies" => "currency",
            var other => other,
        };
        return ReferenceResolver.LedgerKinds.Contains(wanted)
            ? wanted
            : throw new UserError($"reference kind {kind}", null, $"is not one of: {string.Join(", ", ReferenceResolver.LedgerKinds)}");
    }

    private static string RequiredName(string label, string name)
    {
        var text = name?.Trim() ?? "";
        return text.Length switch
        {
            0 => throw new UserError(label, "name", "is required"),
            > 60 => throw new UserError(label, "name", $"is {text.Length} characters long; at most 60 are allowed"),
            _ => text,
        };
    }
}
