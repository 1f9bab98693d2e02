using Concord.Core.Common;

namespace Concord.Web.Pages;

/// <summary>What a record form's post asks to change, by the rules the command line's add and edit follow.</summary>
public static class FormValues
{
    /// <summary>
    /// A new record: the boxes filled in (empty ones are left to the rules or the model). A change:
    /// only the boxes whose value differs from the record as stored now (an emptied box clears its
    /// field), so that what another person changed meanwhile in other fields stays, and a profile
    /// changed on its own fills the fields it brings.
    /// </summary>
    public static Dictionary<string, string?> Given<T>(RecordSchema<T> schema, IEnumerable<string> fields, IReadOnlyDictionary<string, string?> posted, T? stored)
        where T : class
    {
        var given = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in fields)
        {
            if (!posted.TryGetValue(name, out var raw) || (stored is not null && name == schema.Code.Name))
            {
                continue;
            }
            var value = (raw ?? "").Trim();
            if (stored is null ? value.Length > 0 : value != (schema.Find(name) is { } field ? field.Format(field.Get(stored)) : ""))
            {
                given[name] = value;
            }
        }
        return given;
    }
}
