import CurbsideCore
import SQLKit

extension ReportQueries {
    /// The entries behind a figure, a page at a time after an entry id, with the sum and count of all of them.
    public func entries(_ filter: ReportEntryFilter, after: Int64, limit: Int) async throws -> (page: [ReportEntry], sumFen: Int, count: Int) {
        struct Row: Decodable {
            var id: Int64; var bill_number: String; var kind: String; var amount_fen: Int; var at_ms: Int64; var reference: String
            var zone: String; var segment: String; var channel: String?
        }
        struct Total: Decodable { var fen: Int64?; var n: Int }
        var conditions: [SQLQueryString] = [
            "e.at_ms >= \(bind: filter.instants.lowerBound)", "e.at_ms < \(bind: filter.instants.upperBound)", "e.kind = \(bind: filter.kind.rawValue)",
        ]
        if let zone = filter.zone { conditions.append("b.zone_id = \(bind: zone)") }
        if let segment = filter.segment { conditions.append("COALESCE(y.segment_id, '') = \(bind: segment)") }
        if let overdue = filter.overdue {
            conditions.append(overdue ? "(e.kind = 'received' AND e.at_ms > b.due_ms)" : "NOT (e.kind = 'received' AND e.at_ms > b.due_ms)")
        }
        let base: SQLQueryString = """
            SELECT e.id, e.bill_number, e.kind, e.amount_fen, e.at_ms, e.reference, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment, \(Self.channel) AS channel
            FROM ledger_entries e JOIN bills b ON b.number = e.bill_number LEFT JOIN bays y ON y.code = b.bay_code
            WHERE \(conditions.joined(separator: " AND "))
            """
        // The channel is worked out per entry, so it filters the worked-out rows.
        let channel: SQLQueryString = filter.channel.map { "channel = \(bind: $0.rawValue)" } ?? "1 = 1"
        return try await snapshot { sql in
            let total = try await sql.raw("SELECT CAST(SUM(amount_fen) AS BIGINT) AS fen, COUNT(*) AS n FROM (\(base)) x WHERE \(channel)").first(decoding: Total.self)
            let page = try await sql.raw("""
                SELECT * FROM (\(base)) x WHERE \(channel) AND id > \(bind: after) ORDER BY id LIMIT \(bind: limit)
                """).all(decoding: Row.self)
            return (
                page.compactMap { row in
                    LedgerEntry.Kind(rawValue: row.kind).map {
                        ReportEntry(
                            id: row.id, bill: row.bill_number, kind: $0, amountFen: row.amount_fen, at: row.at_ms, reference: row.reference, zone: row.zone,
                            segment: row.segment, channel: row.channel.flatMap(PaymentChannel.init(rawValue:))
                        )
                    }
                },
                Int(total?.fen ?? 0), total?.n ?? 0
            )
        }
    }
}
