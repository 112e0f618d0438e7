using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Storage.Packages;

namespace Portfolio.Sdk.Storage;

/// <content>The rows of locked per-year packages: which item a receipt row key was made from.</content>
public sealed partial class PortfolioStore
{
    /// <summary>Records (or replaces) the rows of a package, each with the item's packaged version.</summary>
    internal Task RecordPackageRowsAsync(string book, SchoolYear year, IReadOnlyList<YearPackageRow> rows, IReadOnlyList<YearPackageItem> packaged, CancellationToken cancellationToken)
    {
        var versions = packaged.ToDictionary(p => p.Id, p => p.Version);
        return RunAsync(async tx =>
        {
            foreach (var row in rows)
            {
                object[] key = [book, year.RocYear, row.Sheet, row.RowKeySha256];
                await tx.ExecuteAsync(
                    $"DELETE FROM {Q(StoreSchema.PackageRowTable)} WHERE {Q("book")} = {P(0)} AND {Q("school_year")} = {P(1)} AND {Q("sheet")} = {P(2)} AND {Q("row_key_sha256")} = {P(3)}",
                    key, cancellationToken).ConfigureAwait(false);
                await tx.ExecuteAsync(
                    $"INSERT INTO {Q(StoreSchema.PackageRowTable)} ({Q("book")}, {Q("school_year")}, {Q("sheet")}, {Q("row_key_sha256")}, {Q("item_id")}, {Q("packaged_version")}) "
                    + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)})",
                    [.. key, row.Id.ToString("D"), versions.GetValueOrDefault(row.Id)], cancellationToken).ConfigureAwait(false);
            }

            return (true, rows.Count);
        }, cancellationToken);
    }

    /// <summary>Finds the item a package row was made from, or <see langword="null"/> when no locked package had the row.</summary>
    internal async Task<Guid?> FindPackageRowItemAsync(string book, SchoolYear year, string sheet, string rowKeySha256, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, null,
                $"SELECT {Q("item_id")} FROM {Q(StoreSchema.PackageRowTable)} WHERE {Q("book")} = {P(0)} AND {Q("school_year")} = {P(1)} AND {Q("sheet")} = {P(2)} AND {Q("row_key_sha256")} = {P(3)}",
                [book, year.RocYear, sheet, rowKeySha256]);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadId(reader, 0) : null;
                }
            }
        }
    }
}
