using Concord.Core.Common;

namespace Concord.Web.Pages;

/// <summary>What a form's save was refused for, as the form shows it: one line per problem ("Credit limit: …"), and the fields to mark.</summary>
public sealed class Refusals
{
    public List<string> Lines { get; } = [];
    public HashSet<string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Add(UserError error)
    {
        foreach (var problem in error.Errors)
        {
            Lines.Add(problem.Field is null ? problem.Reason : $"{Labels.Of(problem.Field)}: {problem.Reason}");
            if (problem.Field is not null)
            {
                Fields.Add(problem.Field);
            }
        }
    }
}
