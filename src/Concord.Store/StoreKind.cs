namespace Concord.Store;

/// <summary>The two database engines a Concord store can live on.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
