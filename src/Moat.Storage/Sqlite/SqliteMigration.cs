namespace Moat.Storage.Sqlite;

/// <summary>One numbered step of the schema; applied once, in order, inside a transaction.</summary>
internal sealed record SqliteMigration(int Version, string Description, string Sql);
