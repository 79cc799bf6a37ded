import CurbsideCore
import FluentKit
import SQLKit

/// The money side of the concession report kept summed per local day, zone,
/// road segment, channel and kind (`ledger_rollups`), so a month's report
/// reads a few thousand sums instead of every ledger entry since the
/// concession began. Each write of ledger entries adds its shares as rows of
/// `ledger_rollup_deltas` in the same transaction (an insert, so concurrent
/// payments never wait on one sum's row); a job folds the deltas into the
/// sums, and into the coarser sums beside them (`ReportRollups+Summaries`),
/// taking them as the fusion queue is taken. Reports read sums and deltas, so
/// a report is exact whether the job has run or not. Arrears changes are kept
/// beside the flows under the kind `arrears`, on the day each entry counts.
public struct ReportRollups: Sendable {
    struct Key: Hashable, Comparable {
        var day: Int
        var zone: String
        var segment: String
        /// "" for none.
        var channel: String
        var kind: String
        var overdue: Bool
        var nonStop: Bool

        static func < (a: Key, b: Key) -> Bool {
            if (a.day, a.zone, a.segment, a.channel, a.kind) != (b.day, b.zone, b.segment, b.channel, b.kind) {
                return (a.day, a.zone, a.segment, a.channel, a.kind) < (b.day, b.zone, b.segment, b.channel, b.kind)
            }
            return (a.overdue ? 1 : 0, a.nonStop ? 1 : 0) < (b.overdue ? 1 : 0, b.nonStop ? 1 : 0)
        }
    }

    static let arrears = "arrears"
    static let columns: SQLQueryString = "day, zone_id, segment_id, channel, kind, overdue, non_stop"

    let store: Store
    let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Adds entries' shares as deltas (a negative `sign` takes them back out).
    static func add(_ attributions: [EntryAttribution], sign: Int64 = 1, on sql: any SQLDatabase) async throws {
        var sums: [Key: Sum] = [:]
        for attribution in attributions {
            for share in attribution.rollups(sign: sign) {
                sums[share.key, default: (0, 0)].fen += share.fen
                sums[share.key, default: (0, 0)].entries += share.entries
            }
        }
        try await insert(sums, into: "ledger_rollup_deltas", on: sql)
    }

    /// Folds up to `limit` deltas into the sums in one transaction; returns how many it took.
    @discardableResult
    public func consolidate(limit: Int = 10_000) async throws -> Int {
        try await store.write(on: database) { db in
            let sql = db.sql
            let skipLocked: SQLQueryString = store.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await sql.raw("""
                DELETE FROM ledger_rollup_deltas WHERE id IN (SELECT id FROM ledger_rollup_deltas ORDER BY id LIMIT \(bind: limit)\(skipLocked))
                RETURNING \(Self.columns), fen, entries
                """).all(decoding: SumRow.self)
            var sums: [Key: Sum] = [:]
            for row in rows {
                sums[row.key, default: (0, 0)].fen += row.fen
                sums[row.key, default: (0, 0)].entries += row.entries
            }
            try await Self.insert(sums, into: "ledger_rollups", on: sql)
            try await Self.summarise(sums, on: sql)
            return rows.count
        }
    }

    /// A row of the day sums or their deltas.
    struct SumRow: Decodable {
        var day: Int; var zone_id: String; var segment_id: String; var channel: String; var kind: String; var overdue: Int16; var non_stop: Int16
        var fen: Int64; var entries: Int64

        var key: Key {
            Key(day: day, zone: zone_id, segment: segment_id, channel: channel, kind: kind, overdue: overdue != 0, nonStop: non_stop != 0)
        }
    }

    /// Inserts sums in key order (so two transactions adding to the same sums take their rows in the same order), adding to sums already there.
    static func insert(_ sums: [Key: Sum], into table: String, on sql: any SQLDatabase) async throws {
        let merging: SQLQueryString = table == "ledger_rollups"
            ? " ON CONFLICT (\(columns)) DO UPDATE SET fen = ledger_rollups.fen + excluded.fen, entries = ledger_rollups.entries + excluded.entries"
            : ""
        for chunk in sums.sorted(by: { $0.key < $1.key }).chunks(of: 300) {
            let values = chunk.map { key, sum in
                """
                (\(bind: Int32(key.day)), \(bind: key.zone), \(bind: key.segment), \(bind: key.channel), \(bind: key.kind), \(bind: Int16(key.overdue ? 1 : 0)),
                 \(bind: Int16(key.nonStop ? 1 : 0)), \(bind: sum.fen), \(bind: sum.entries))
                """ as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("INSERT INTO \(ident: table) (\(columns), fen, entries) VALUES \(values)\(merging)").run()
        }
    }

    /// Sums and deltas together, as one table to select from.
    static let all: SQLQueryString = """
        (SELECT \(columns), fen, entries FROM ledger_rollups UNION ALL SELECT \(columns), fen, entries FROM ledger_rollup_deltas)
        """

    /// A bay moved to another road segment takes its money with it, as the report's drill-down
    /// (which follows the bay's segment now) does: its entries' shares leave the old segment's sums
    /// and join the new one's. Runs in the registry change's transaction, after the bay is saved.
    static func moveBay(_ code: String, from segment: String, on sql: any SQLDatabase) async throws {
        var after: Int64 = 0
        while true {
            let batch = try await EntryAttribution.stored(where: "b.bay_code = \(bind: code)", after: after, limit: 20_000, on: sql)
            guard let last = batch.last else { return }
            var old = batch.map(\.attribution)
            for index in old.indices { old[index].segment = segment }
            try await add(old, sign: -1, on: sql)
            try await add(batch.map(\.attribution), on: sql)
            after = last.id
        }
    }

    /// Rebuilds every day sum from the ledger, in batches: what a store that had entries before the sums existed starts
    /// from, and what a benchmark that writes its ledger straight into the table does after (then `summarise`).
    public static func rebuild(on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM ledger_rollup_deltas").run()
        try await sql.raw("DELETE FROM ledger_rollups").run()
        var after: Int64 = 0
        while true {
            let batch = try await EntryAttribution.stored(where: "1 = 1", after: after, limit: 20_000, on: sql)
            guard let last = batch.last else { break }
            try await add(batch.map(\.attribution), on: sql)
            after = last.id
        }
        try await sql.raw("""
            INSERT INTO ledger_rollups (\(columns), fen, entries)
            SELECT \(columns), SUM(fen), SUM(entries) FROM ledger_rollup_deltas GROUP BY \(columns)
            """).run()
        try await sql.raw("DELETE FROM ledger_rollup_deltas").run()
    }
}
