using System.Runtime.InteropServices;

namespace Concord.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and `kill` (SIGTERM) as a request to stop at the next safe point: the first
/// signal cancels <see cref="Token"/> and says why; a second one ends the process at once, as
/// the signal would without us (what that leaves unfinished the next run settles).
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _stop.Token;

    public bool Stopped => _stop.IsCancellationRequested;

    /// <summary>Which signal asked to stop, for messages and the run history.</summary>
    public string Reason { get; private set; } = "stopped on request";

    private void Stop(PosixSignalContext signal)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        signal.Cancel = true;
        Reason = signal.Signal == PosixSignal.SIGINT ? "stopped by Ctrl+C (SIGINT)" : "stopped by SIGTERM";
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
