import CurbsideCore
import SQLKit

/// A ledger entry with what a report attributes it to: its bill's zone and
/// due time, its bay's road segment, the zone's time zone (for its local
/// day), and for money received or refunded the channel and scene of the
/// payment (a refund's is the bill's latest payment received before it).
struct EntryAttribution: Sendable {
    var entry: LedgerEntry
    var zone: String
    var segment: String
    var timeZone: String
    var due: Int64
    var channel: String?
    var scene: String?

    /// The sums this entry adds to: its flow on the day it happened, and its arrears
    /// change on the later of that day and its bill's due day.
    func rollups(sign: Int64 = 1) -> [(key: ReportRollups.Key, fen: Int64, entries: Int64)] {
        guard let clock = ZoneClock(identifier: timeZone) else { return [] }
        let fen = Int64(entry.amountFen)
        let flow = ReportRollups.Key(
            day: clock.localDay(entry.at / 1000), zone: zone, segment: segment, channel: channel ?? "", kind: entry.kind.rawValue,
            overdue: entry.kind == .received && entry.at > due, nonStop: entry.kind == .received && scene == AutoPay.scene
        )
        let signed = [.receivable, .refund].contains(entry.kind) ? fen : -fen
        let arrears = ReportRollups.Key(
            day: clock.localDay(max(entry.at, due) / 1000), zone: zone, segment: segment, channel: "", kind: ReportRollups.arrears, overdue: false,
            nonStop: false
        )
        return [(flow, sign * fen, sign), (arrears, sign * signed, sign)]
    }

    /// The stored entries a condition on `e` (ledger_entries), `b` (bills) and `y` (bays) picks, attributed as the report's queries attribute them.
    static func stored(where condition: SQLQueryString, after: Int64, limit: Int, on sql: any SQLDatabase) async throws -> [(id: Int64, attribution: EntryAttribution)] {
        struct Row: Decodable {
            var id: Int64; var bill_number: String; var kind: String; var amount_fen: Int; var at_ms: Int64; var reference: String
            var zone_id: String; var segment: String; var time_zone: String?; var due_ms: Int64; var channel: String?; var scene: String?
        }
        let rows = try await sql.raw("""
            SELECT e.id, e.bill_number, e.kind, e.amount_fen, e.at_ms, e.reference, b.zone_id, COALESCE(y.segment_id, '') AS segment, z.time_zone, b.due_ms,
                   \(ReportQueries.channel) AS channel,
                   CASE WHEN e.kind = 'received' THEN (SELECT p.scene FROM payments p WHERE p.id = e.reference) END AS scene
            FROM ledger_entries e JOIN bills b ON b.number = e.bill_number LEFT JOIN bays y ON y.code = b.bay_code LEFT JOIN zones z ON z.id = b.zone_id
            WHERE e.id > \(bind: after) AND \(condition) ORDER BY e.id LIMIT \(bind: limit)
            """).all(decoding: Row.self)
        return rows.compactMap { row in
            guard let kind = LedgerEntry.Kind(rawValue: row.kind) else { return nil }
            let entry = LedgerEntry(bill: row.bill_number, kind: kind, amountFen: row.amount_fen, at: row.at_ms, reference: row.reference)
            return (row.id, EntryAttribution(
                entry: entry, zone: row.zone_id, segment: row.segment, timeZone: row.time_zone ?? "", due: row.due_ms, channel: row.channel, scene: row.scene
            ))
        }
    }
}
