using Concord.Core.Common;

namespace Concord.Core.Exchange;

/// <summary>What an import did: records created, records changed, rows that changed nothing, and the rows left out with why.</summary>
public sealed record ImportResult(int Written, int Updated, int Unchanged, IReadOnlyList<RecordError> Rejected);
