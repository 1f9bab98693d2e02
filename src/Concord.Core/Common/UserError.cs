namespace Concord.Core.Common;

/// <summary>One thing wrong with one record: which record, which field, why, and where in a file.</summary>
public sealed record RecordError(string Record, string? Field, string Reason, int? Line = null)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"line {line}: " : "";
        var field = Field is null ? "" : $" {Field}";
        return $"{where}{Record}{field}: {Reason}";
    }
}

/// <summary>
/// A mistake the user must correct (bad value, missing reference, forbidden action). The CLI
/// prints it and exits with 1; it never carries a stack trace to the user. A kind that callers
/// handle on their own (a busy connection, which `serve` only skips) derives from it.
/// </summary>
public class UserError : Exception
{
    public UserError(string record, string? field, string reason)
        : this([new RecordError(record, field, reason)])
    {
    }

    public UserError(IReadOnlyList<RecordError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<RecordError> Errors { get; }

    /// <summary>The one record named is not there: Concord words that "does not exist…" everywhere (the API answers 404).</summary>
    public bool IsNotFound => Errors.Count == 1 && Errors[0].Reason.StartsWith("does not exist", StringComparison.Ordinal);

    /// <summary>Runs a parse or check, turning its <see cref="FieldValueError"/> into an error naming the record and field.</summary>
    public static TValue Guard<TValue>(string record, string field, Func<TValue> check)
    {
        try
        {
            return check();
        }
        catch (FieldValueError error)
        {
            throw new UserError(record, field, error.Reason);
        }
    }
}

/// <summary>A field value that cannot be accepted; the caller adds the record it belongs to.</summary>
public sealed class FieldValueError(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
