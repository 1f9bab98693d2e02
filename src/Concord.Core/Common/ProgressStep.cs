namespace Concord.Core.Common;

/// <summary>How far a long piece of work has come: <see cref="Done"/> of <see cref="Total"/> (null when not known yet) <see cref="Unit"/>.</summary>
public readonly record struct ProgressStep(long Done, long? Total, string Unit);
