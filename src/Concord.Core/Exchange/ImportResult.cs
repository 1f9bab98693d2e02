using Concord.Core.Common;

namespace Concord.Core.Exchange;

/// <summary>What an import did: rows written, and the rows left out with why.</summary>
public sealed record ImportResult(int Written, IReadOnlyList<RecordError> Rejected);
