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
    public static void Fields(PlanLine line, SyncConnection connection, SyncPriority? decided = null, (bool Accounting, bool Operational)? writable = null)
    {
        var (accountingWritable, operationalWritable) = writable ?? (true, true);
        var op = line.Operational!;
        var acc = line.Accounting!;
        var baseState = line.Base;
        for (var i = 0; i < SyncFields.All.Count; i++)
        {
            var field = SyncFields.All[i];
            var o = op.Values[i];
            var a = acc.Values[i];
            if (o == a)
            {
                continue;
            }
            var b = baseState?[i];
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
    public static string?[] Agreed(PlanLine line, IReadOnlyCollection<string> failedFields)
    {
        var state = new string?[SyncFields.All.Count];
        for (var i = 0; i < state.Length; i++)
        {
            var field = SyncFields.All[i];
            var o = line.Operational!.Values[i];
            var a = line.Accounting!.Values[i];
            if (failedFields.Contains(field))
            {
                state[i] = line.Base?[i];
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
                state[i] = o == a ? o : line.Base?[i];
            }
        }
        return state;
    }
}
