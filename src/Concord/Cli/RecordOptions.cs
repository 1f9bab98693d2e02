using System.CommandLine;
using Concord.Core.Common;

namespace Concord.Cli;

/// <summary>One --FIELD option per field a user may set, made from the record's schema, so the command line never drifts from the record.</summary>
public sealed class RecordOptions<T>(RecordSchema<T> schema)
    where T : class
{
    private readonly List<(Field<T> Field, Option<string?> Option)> _options =
        [.. schema.UserFields.Skip(1).Select(f => (f, new Option<string?>("--" + f.Name, f.OptionAlias is null ? [] : ["--" + f.OptionAlias])
        {
            Description = (f.Description.Length > 0 ? f.Description + "; " : "") + Hint(f),
        }))];

    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The values given on the command line, by field name (fields not given are absent).</summary>
    public Dictionary<string, string?> Given(CliContext context)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, option) in _options)
        {
            if (context.Parse.GetResult(option) is not null)
            {
                values[field.Name] = context.Parse.GetValue(option) ?? "";
            }
        }
        return values;
    }

    /// <summary>The values of an edit: at least one field must be given, else nothing would change but an audit line.</summary>
    public Dictionary<string, string?> Changes(CliContext context, string code)
    {
        var values = Given(context);
        return values.Count > 0
            ? values
            : throw new UserError($"{schema.Entity} {code}", null, "nothing to change: give at least one --FIELD VALUE");
    }

    private static string Hint(Field<T> field) => field.Kind switch
    {
        FieldKind.Money => "an amount, e.g. 1500.00",
        FieldKind.Flag => "yes or no",
        FieldKind.Choice => string.Join(" | ", field.Choices),
        FieldKind.Code when field.References is { } kind => $"a {kind} code",
        FieldKind.Vat => "a VAT number, e.g. BE0403170701",
        _ => $"text, at most {field.MaxLength} characters",
    };
}
