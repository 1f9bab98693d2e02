using System.Collections.Concurrent;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Sync.Running;

namespace Concord.Web;

/// <summary>
/// A sync run started from a screen or the API, as it goes (S10, S16): how far it has come, who
/// started it, and once it ends its report or why it failed. It runs on the server: closing the
/// page does not stop it; Cancel or the server stopping does, after the batch it is writing.
/// </summary>
public sealed class LiveRun
{
    private readonly CancellationTokenSource _stop;
    private string? _cancelledBy;

    internal LiveRun(string connection, string startedBy, DateTimeOffset startedAt, CancellationTokenSource stop)
    {
        Connection = connection;
        StartedBy = startedBy;
        StartedAt = startedAt;
        _stop = stop;
    }

    public string Connection { get; }
    public string StartedBy { get; }
    public DateTimeOffset StartedAt { get; }

    /// <summary>running, then the run's own status once it ends (completed, completed with errors, interrupted, failed).</summary>
    public string State => Report?.Status ?? (Failure is null ? RunStatus.Running : RunStatus.Failed);
    public bool Running => State == RunStatus.Running;

    /// <summary>What the run is doing and how far it has come ("lines applied", 120 of 400).</summary>
    public ProgressStep Progress { get; internal set; } = new(0, null, "starting");
    public RunReport? Report { get; internal set; }

    /// <summary>Why the run failed before it could report (the accounting system unreachable, …).</summary>
    public string? Failure => Error?.Message;

    internal Exception? Error { get; set; }

    private bool _ended;

    /// <summary>Stops the run after the batch it is writing; the history records who stopped it. A run that has ended is left as it is.</summary>
    public void Cancel(string user)
    {
        lock (_stop)
        {
            if (_ended)
            {
                return;
            }
            _cancelledBy ??= $"cancelled by {user}";
            _stop.Cancel();
        }
    }

    /// <summary>The run has ended: nothing can stop it any more.</summary>
    internal void End()
    {
        lock (_stop)
        {
            _ended = true;
            _stop.Dispose();
        }
    }

    internal string StopReason => _cancelledBy ?? "stopped because the server was stopping";
}

/// <summary>
/// The runs started on this server, one per connection at a time (the run lock keeps other processes
/// out). When the server stops, its runs are told to stop after the batch they are writing, and the
/// server waits for them to record it.
/// </summary>
public sealed class LiveRuns(IHostApplicationLifetime lifetime, ILogger<LiveRuns> log) : IHostedService
{
    private readonly Dictionary<string, LiveRun> _runs = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _working = [];
    private readonly Lock _lock = new();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host has cancelled the runs (ApplicationStopping); each ends its batch and records that it was interrupted.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] working;
        lock (_lock)
        {
            working = [.. _working];
        }
        return Task.WhenAll(working).WaitAsync(cancellationToken);
    }

    /// <summary>The connection's run started on this server, running or the last one ended.</summary>
    public LiveRun? Of(string connection)
    {
        lock (_lock)
        {
            return _runs.GetValueOrDefault(Codes.Key(connection));
        }
    }

    /// <summary>
    /// Starts a run and returns once it is under way: a refusal that comes before anything is
    /// written (the role, the company not confirmed, another run holding the connection) is thrown
    /// here, to the person who asked.
    /// </summary>
    public async Task<LiveRun> StartAsync(Session session, string connection, RunOptions options)
    {
        var key = Codes.Key(connection);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var run = new LiveRun(connection, session.User.Name, session.Now, stop);
        LiveRun? earlier;
        lock (_lock)
        {
            earlier = _runs.GetValueOrDefault(key);
            if (earlier is { Running: true })
            {
                stop.Dispose();
                throw new UserError($"connection {connection}", null, $"a run started by {earlier.StartedBy} is still going; wait for it or cancel it");
            }
            _runs[key] = run;
        }
        var underWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new Progress(step =>
        {
            run.Progress = step;
            underWay.TrySetResult();
        });
        var work = Task.Run(async () =>
        {
            try
            {
                run.Report = await new SyncEngine(session).RunAsync(connection, options with
                {
                    Cancellation = stop.Token,
                    CancellationReason = () => run.StopReason,
                    Progress = progress,
                }).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                if (error is not (UserError or OperationCanceledException))
                {
                    log.LogError(error, "Run of connection {Connection} failed", connection);
                }
                run.Error = error;
            }
            finally
            {
                run.End();
            }
        });
        lock (_lock)
        {
            _working.Add(work);
        }
        _ = work.ContinueWith(done =>
        {
            lock (_lock)
            {
                _working.Remove(done);
            }
        }, TaskScheduler.Default);
        await Task.WhenAny(underWay.Task, work).ConfigureAwait(false);
        if (!underWay.Task.IsCompleted && run.Error is { } refused)
        {
            // Refused before anything was written: told at once, and not kept as this connection's run.
            lock (_lock)
            {
                // Unless another run has taken the connection's place meanwhile.
                if (_runs.GetValueOrDefault(key) == run)
                {
                    if (earlier is null)
                    {
                        _runs.Remove(key);
                    }
                    else
                    {
                        _runs[key] = earlier;
                    }
                }
            }
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
        }
        return run;
    }

    /// <summary>Reports progress in the thread that makes it, so a screen reads the latest step (Progress&lt;T&gt; would post it later).</summary>
    private sealed class Progress(Action<ProgressStep> report) : IProgress<ProgressStep>
    {
        public void Report(ProgressStep value) => report(value);
    }
}
