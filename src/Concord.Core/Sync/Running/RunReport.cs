namespace Concord.Core.Sync.Running;

/// <summary>One record's failure in a run: which record, which field, why (S11, S14).</summary>
public sealed record RunError(string Record, string? Field, string Reason);

/// <summary>The completion report of a run (S16), also kept in the run history.</summary>
public sealed class RunReport
{
    public long RunId { get; init; }
    public required string Connection { get; init; }
    public required string Mode { get; init; }
    public string Status { get; set; } = RunStatus.Running;
    public bool Full { get; init; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Linked { get; set; }
    public int Skipped { get; set; }
    public int Conflicts { get; set; }

    /// <summary>Operational invoices posted to accounting by this run (O3).</summary>
    public int Posted { get; set; }
    public int Errors => ErrorList.Count;
    public List<RunError> ErrorList { get; } = [];
    public long OperationalRead { get; set; }
    public long AccountingRead { get; set; }
    public string? Message { get; set; }

    /// <summary>How long planning and applying took (benchmarks report apply on its own).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan PlanTime { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan ApplyTime { get; set; }
}

/// <summary>The states of a run as the history keeps them: every run ends in one of the last four (S11, S16).</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string CompletedWithErrors = "completed with errors";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
}
