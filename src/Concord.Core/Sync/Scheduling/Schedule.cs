using Concord.Core.Common;
using Cronos;

namespace Concord.Core.Sync.Scheduling;

/// <summary>A connection's schedule (S12): a cron expression in UTC, five fields (or six with seconds), checked once when set.</summary>
public static class Schedule
{
    public static string Check(string expression, string label)
    {
        try
        {
            Parse(expression);
            return expression.Trim();
        }
        catch (CronFormatException error)
        {
            throw new UserError(label, "schedule", $"'{expression}' is not a cron expression ({error.Message}); e.g. '*/15 * * * *' for every 15 minutes");
        }
    }

    /// <summary>The first time the schedule falls due after <paramref name="after"/>.</summary>
    public static DateTimeOffset? Next(string expression, DateTimeOffset after) =>
        Parse(expression).GetNextOccurrence(after, TimeZoneInfo.Utc);

    private static CronExpression Parse(string expression)
    {
        var text = expression.Trim();
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
    }
}
