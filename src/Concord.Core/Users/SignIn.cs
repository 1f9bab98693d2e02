using System.Security.Cryptography;
using System.Text;
using Concord.Core.Common;
using Concord.Store;
using Microsoft.AspNetCore.Identity;

namespace Concord.Core.Users;

/// <summary>
/// How people and programs prove who they are on the web app and the REST API (U3, U4): a user's
/// password, hashed by ASP.NET Core Identity's password hasher, with a lock-out after
/// <see cref="AttemptsBeforeLockOut"/> failed sign-ins in a row; and API keys, each with a role,
/// shown once when made and kept only as a SHA-256 hash (a key is 32 random bytes: nothing to
/// guess, so a fast hash is enough and every request can check it).
/// </summary>
public sealed class SignIn(Database database, TimeProvider clock)
{
    public const int AttemptsBeforeLockOut = 5;
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(15);
    public const int MinimumPasswordLength = 8;

    /// <summary>What a key starts with, so that one pasted by mistake is recognised as a Concord API key.</summary>
    public const string KeyPrefix = "concord_";

    private static readonly PasswordHasher<User> Hasher = new();

    /// <summary>Sets a user's password: a supervisor for anyone, anyone for themselves.</summary>
    public void SetPassword(Session session, string name, string password)
    {
        if (!Codes.Same(session.User.Name, name))
        {
            session.Require(Role.Supervisor, "set another user's password");
        }
        CheckPassword(name, password);
        database.InTransaction((connection, transaction) =>
        {
            var user = UserDirectory.Find(connection, name, transaction) ?? throw new UserError($"user {name}", null, "does not exist");
            Sql.Execute(connection, transaction, "UPDATE users SET password_hash = @h, failed_sign_ins = 0, locked_until = NULL WHERE name_key = @k",
                ("h", Hasher.HashPassword(user, password)), ("k", Codes.Key(name)));
            session.Audit.Write(connection, transaction, "update", "user", user.Name, null, """{"password":"changed"}""");
        });
    }

    /// <summary>Refuses a password too short to set, before anything is written.</summary>
    public static void CheckPassword(string name, string password)
    {
        if (password.Length < MinimumPasswordLength)
        {
            throw new UserError($"user {name}", "password", $"is shorter than {MinimumPasswordLength} characters");
        }
    }

    /// <summary>Sets the password of a user who has none (the demo's users); false when one is set already.</summary>
    public bool SetPasswordIfUnset(Session session, string name, string password)
    {
        using (var connection = database.OpenConnection())
        {
            if (Sql.Scalar<long>(connection, null, "SELECT COUNT(*) FROM users WHERE name_key = @k AND password_hash IS NULL", ("k", Codes.Key(name))) == 0)
            {
                return false;
            }
        }
        SetPassword(session, name, password);
        return true;
    }

    /// <summary>
    /// The user these credentials belong to, or a refusal that does not say which part was wrong.
    /// A user locked out is refused until the lock-out ends, even with the right password.
    /// </summary>
    public User Password(string name, string password) => database.InTransaction((connection, transaction) =>
    {
        const string wrong = "the user name or the password is wrong";
        using var command = Sql.Command(connection, transaction,
            "SELECT name, role, password_hash, failed_sign_ins, locked_until FROM users WHERE name_key = @k", ("k", Codes.Key(name)));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new UserError("sign-in", null, wrong);
        }
        var user = new User(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), ignoreCase: true));
        var (hash, failed, lockedUntil) = (reader.TextOrNull(2), Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture), reader.TextOrNull(4));
        reader.Close();
        var now = clock.GetUtcNow();
        if (lockedUntil is not null && Timestamps.Parse(lockedUntil) > now)
        {
            throw new UserError($"user {user.Name}", null, $"is locked out after {AttemptsBeforeLockOut} failed sign-ins until {Timestamps.Parse(lockedUntil):yyyy-MM-dd HH:mm} UTC; a supervisor can set a new password");
        }
        if (hash is null || Hasher.VerifyHashedPassword(user, hash, password) == PasswordVerificationResult.Failed)
        {
            var attempts = lockedUntil is null ? failed + 1 : 1; // a lock-out that ended starts the count again
            Sql.Execute(connection, transaction, "UPDATE users SET failed_sign_ins = @f, locked_until = @l WHERE name_key = @k",
                ("f", attempts >= AttemptsBeforeLockOut ? 0 : attempts),
                ("l", attempts >= AttemptsBeforeLockOut ? Timestamps.Format(now + LockOut) : null), ("k", Codes.Key(user.Name)));
            return (User?)null;
        }
        Sql.Execute(connection, transaction, "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE name_key = @k", ("k", Codes.Key(user.Name)));
        return user;
    }) ?? throw new UserError("sign-in", null, "the user name or the password is wrong");

    /// <summary>Makes an API key with a role (supervisors only): the key itself is returned this once and never stored.</summary>
    public string CreateKey(Session session, string name, Role role)
    {
        session.Require(Role.Supervisor, "create API keys");
        var checkedName = UserError.Guard($"API key {name}", "name", () => Codes.Check(name));
        var key = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        database.InTransaction((connection, transaction) =>
        {
            if (Sql.Scalar<long>(connection, transaction, "SELECT COUNT(*) FROM api_keys WHERE name_key = @k", ("k", Codes.Key(checkedName))) > 0)
            {
                throw new UserError($"API key {checkedName}", "name", "already exists; revoke it first or choose another name");
            }
            Sql.Execute(connection, transaction,
                "INSERT INTO api_keys (name, name_key, key_hash, role, created_by, created_at) VALUES (@n, @k, @h, @r, @by, @at)",
                ("n", checkedName), ("k", Codes.Key(checkedName)), ("h", Hash(key)), ("r", role.ToString().ToLowerInvariant()),
                ("by", session.User.Name), ("at", Timestamps.Format(clock.GetUtcNow())));
            session.Audit.Write(connection, transaction, "create", "api-key", checkedName, null,
                System.Text.Json.JsonSerializer.Serialize(new { name = checkedName, role = role.ToString().ToLowerInvariant() }));
        });
        return key;
    }

    /// <summary>The API keys that work, with their roles, who made them and when.</summary>
    public IReadOnlyList<ApiKey> Keys()
    {
        using var connection = database.OpenConnection();
        using var command = Sql.Command(connection, null, "SELECT name, role, created_by, created_at FROM api_keys WHERE revoked_at IS NULL ORDER BY name_key");
        using var reader = command.ExecuteReader();
        var keys = new List<ApiKey>();
        while (reader.Read())
        {
            keys.Add(new ApiKey(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), ignoreCase: true), reader.GetString(2), Timestamps.Parse(reader.GetString(3))));
        }
        return keys;
    }

    /// <summary>Stops a key from working (supervisors only).</summary>
    public void RevokeKey(Session session, string name)
    {
        session.Require(Role.Supervisor, "revoke API keys");
        database.InTransaction((connection, transaction) =>
        {
            if (Sql.Execute(connection, transaction, "UPDATE api_keys SET revoked_at = @at WHERE name_key = @k AND revoked_at IS NULL",
                    ("at", Timestamps.Format(clock.GetUtcNow())), ("k", Codes.Key(name))) == 0)
            {
                throw new UserError($"API key {name}", null, "does not exist or was revoked already");
            }
            session.Audit.Write(connection, transaction, "delete", "api-key", name, null, null);
        });
        _checkedKeys.Clear();
    }

    /// <summary>
    /// The acting identity of a key that works (named "key NAME", so the audit tells people and programs
    /// apart), or null. A key once checked is trusted for <see cref="KeyMemory"/> (a program sends it with
    /// every request); revoking a key here forgets them all, a key revoked by another process stops
    /// working within that time.
    /// </summary>
    public User? Key(string key)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var hash = Hash(key);
        var now = clock.GetUtcNow();
        if (_checkedKeys.TryGetValue(hash, out var known) && known.Until > now)
        {
            return known.User;
        }
        using var connection = database.OpenConnection();
        using var command = Sql.Command(connection, null, "SELECT name, role FROM api_keys WHERE key_hash = @h AND revoked_at IS NULL", ("h", hash));
        using var reader = command.ExecuteReader();
        var user = reader.Read() ? new User($"key {reader.GetString(0)}", Enum.Parse<Role>(reader.GetString(1), ignoreCase: true)) : null;
        if (user is not null)
        {
            _checkedKeys[hash] = (user, now + KeyMemory);
        }
        return user;
    }

    /// <summary>How long a checked API key is trusted without asking the store again.</summary>
    public static readonly TimeSpan KeyMemory = TimeSpan.FromSeconds(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (User User, DateTimeOffset Until)> _checkedKeys = new(StringComparer.Ordinal);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record ApiKey(string Name, Role Role, string CreatedBy, DateTimeOffset CreatedAt);
