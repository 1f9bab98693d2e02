using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Sync.Planning;

/// <summary>
/// The three-way merge of one pair (S4, S5): each field is compared with the state both sides last
/// agreed on. A field changed on one side flows to the other; changed on both to different values,
/// the priority decides or the field waits for review. Direction, replace options and create-only
/// then decide which of those changes may be written.
/// </summary>
public static class Merge
{
    /// <param name="writable">which sides can be updated at all (a side without <see cref="ConnectorCapabilities.Update"/> only shows its differences).</param>
    /// <param name="carried">whether both sides keep a field; one a side does not keep is left out of the merge.</param>
    public static void Fields(PlanLine line, SyncConnection connection, SyncPriority? decided = null, (bool Accounting, bool Operational)? writable = null,
        Func<string, bool>? carried = null)
    {
        var (accountingWritable, operationalWritable) = writable ?? (true, true);
        var op = line.Operational!;
        var acc = line.Accounting!;
        var baseState = line.Base;
        var map = connection.FieldMap;
        for (var i = 0; i < map.Fields.Count; i++)
        {
            var field = map.Fields[i];
            if (carried is not null && !carried(field))
            {
                continue;
            }
            var o = At(op.Values, i);
            var a = At(acc.Values, i);
            if (o == a)
            {
                continue;
            }
            var b = baseState is null ? null : At(baseState, i);
            // Without a base (a pair matched just now) a blank is no change: the value fills it in.
            var operationalChanged = baseState is null ? o is not null : o != b;
            var accountingChanged = baseState is null ? a is not null : a != b;
            bool toAccounting;
            if (operationalChanged && !accountingChanged)
            {
                toAccounting = true;
            }
            else if (accountingChanged && !operationalChanged)
            {
                toAccounting = false;
            }
            else
            {
                switch (decided ?? connection.Priority)
                {
                    case SyncPriority.Operational:
                        toAccounting = true;
                        break;
                    case SyncPriority.Newest:
                        toAccounting = (op.Modified ?? DateTimeOffset.MinValue) > (acc.Modified ?? DateTimeOffset.MinValue);
                        break;
                    case SyncPriority.Review:
                        line.Hold(new HeldField(field, o, a, b));
                        continue;
                    default:
                        toAccounting = false;
                        break;
                }
            }
            var mayReplace = connection.Replace.Count == 0 || connection.Replace.Contains(field);
            // A conditional field (seed 002) moves only when its condition holds on the record it comes from.
            if (map.Of(field) is { WhenField: not null } conditional && !conditional.Holds(toAccounting ? op : acc, map))
            {
                continue;
            }
            if (toAccounting && connection.PushesToAccounting && mayReplace && !connection.CreateOnly && accountingWritable)
            {
                line.Push(new FieldChange(field, a, o));
            }
            else if (!toAccounting && connection.PullsFromAccounting && mayReplace && operationalWritable)
            {
                line.Pull(new FieldChange(field, o, a));
            }
        }
    }

    /// <summary>The state both sides agree on after the line's writes: the new base of the link.</summary>
    public static string?[] Agreed(PlanLine line, IReadOnlyCollection<string> failedFields, FieldMap map)
    {
        var state = new string?[map.Fields.Count];
        var baseState = line.Base ?? [];
        for (var i = 0; i < state.Length; i++)
        {
            var field = map.Fields[i];
            var o = At(line.Operational!.Values, i);
            var a = At(line.Accounting!.Values, i);
            if (failedFields.Contains(field))
            {
                state[i] = At(baseState, i);
            }
            else if (line.ToAccounting.FirstOrDefault(c => c.Field == field) is { } pushed)
            {
                state[i] = pushed.After;
            }
            else if (line.ToOperational.FirstOrDefault(c => c.Field == field) is { } pulled)
            {
                state[i] = pulled.After;
            }
            else
            {
                // Equal fields are agreed; fields left different (held, not allowed) keep the old base.
                state[i] = o == a ? o : At(baseState, i);
            }
        }
        return state;
    }

    /// <summary>A value by position; a record or base state from before a field was mapped has none.</summary>
    private static string? At(string?[] values, int i) => i < values.Length ? values[i] : null;
}
