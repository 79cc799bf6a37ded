import CurbsideCore
import SQLKit

/// The money side of a report: the period's ledger entries summed, arrears, and the contract year so far.
extension ReportQueries {
    /// Received money joins its payment for the channel; refunds, far fewer, look theirs up one by one (see `refundChannel`).
    /// Each group once by day and once by segment: the report adds up each list on its own.
    func flows(_ range: Range<Int64>, days: DayBuckets, on sql: any SQLDatabase) async throws -> ([ReportFacts.Flow], [ReportFacts.SegmentFlow]) {
        struct Row: Decodable {
            var bucket: Int64; var zone: String; var segment: String; var channel: String?; var kind: String; var overdue: Int; var fen: Int; var entries: Int
            var non_stop: Int
        }
        let entries: SQLQueryString = """
            FROM ledger_entries e JOIN bills b ON b.number = e.bill_number LEFT JOIN bays y ON y.code = b.bay_code
            """
        let within: SQLQueryString = "e.at_ms >= \(bind: range.lowerBound) AND e.at_ms < \(bind: range.upperBound)"
        let rows = try await sql.raw("""
            SELECT \(days.bucket("e.at_ms")) AS bucket, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment, p.channel AS channel, e.kind AS kind,
                   CASE WHEN e.kind = 'received' AND e.at_ms > b.due_ms THEN 1 ELSE 0 END AS overdue, CAST(SUM(e.amount_fen) AS BIGINT) AS fen, COUNT(*) AS entries,
                   CASE WHEN p.scene = \(bind: AutoPay.scene) THEN 1 ELSE 0 END AS non_stop
            \(entries) LEFT JOIN payments p ON e.kind = 'received' AND p.id = e.reference
            WHERE \(within) AND e.kind <> 'refund'
            GROUP BY 1, 2, 3, 4, 5, 6, 9
            """).all(decoding: Row.self) + sql.raw("""
            SELECT \(days.bucket("e.at_ms")) AS bucket, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment, \(Self.refundChannel) AS channel,
                   'refund' AS kind, 0 AS overdue, CAST(SUM(e.amount_fen) AS BIGINT) AS fen, COUNT(*) AS entries, 0 AS non_stop
            \(entries)
            WHERE \(within) AND e.kind = 'refund'
            GROUP BY 1, 2, 3, 4
            """).all(decoding: Row.self)
        var flows: [ReportFacts.Flow] = [], segments: [ReportFacts.SegmentFlow] = []
        for row in rows {
            guard let kind = LedgerEntry.Kind(rawValue: row.kind) else { continue }
            flows.append(.init(
                day: days.day(row.bucket), zone: row.zone, channel: row.channel.flatMap(PaymentChannel.init(rawValue:)), kind: kind,
                overdue: row.overdue != 0, fen: row.fen, entries: row.entries, nonStop: row.non_stop != 0
            ))
            segments.append(.init(zone: row.zone, segment: row.segment, kind: kind, overdue: row.overdue != 0, fen: row.fen, entries: row.entries))
        }
        return (flows, segments)
    }

    /// Each entry of a bill counts towards arrears from the later of its own time and the bill's due time.
    func arrears(_ range: Range<Int64>, days: DayBuckets, on sql: any SQLDatabase) async throws -> ([ReportFacts.ArrearsChange], [ReportFacts.SegmentArrears]) {
        struct Row: Decodable { var bucket: Int64; var zone: String; var segment: String; var fen: Int }
        let rows = try await sql.raw("""
            SELECT CASE WHEN t < \(bind: range.lowerBound) THEN -1 ELSE \(days.bucket("t")) END AS bucket, zone, segment, CAST(SUM(signed) AS BIGINT) AS fen
            FROM (SELECT CASE WHEN e.at_ms > b.due_ms THEN e.at_ms ELSE b.due_ms END AS t, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment,
                         CASE WHEN e.kind IN ('receivable', 'refund') THEN e.amount_fen ELSE -e.amount_fen END AS signed
                  FROM ledger_entries e JOIN bills b ON b.number = e.bill_number LEFT JOIN bays y ON y.code = b.bay_code
                  WHERE b.due_ms < \(bind: range.upperBound) AND e.at_ms < \(bind: range.upperBound)) x
            GROUP BY 1, 2, 3
            """).all(decoding: Row.self)
        return (
            rows.map { .init(day: $0.bucket < 0 ? nil : days.day($0.bucket), zone: $0.zone, fen: $0.fen) },
            rows.map { .init(zone: $0.zone, segment: $0.segment, fen: $0.fen) }
        )
    }

    func ledgerTotals(_ range: Range<Int64>, on sql: any SQLDatabase) async throws -> LedgerFigures {
        struct Row: Decodable { var kind: String; var fen: Int; var entries: Int }
        guard !range.isEmpty else { return LedgerFigures() }
        var figures = LedgerFigures()
        for row in try await sql.raw("""
            SELECT kind, CAST(SUM(amount_fen) AS BIGINT) AS fen, COUNT(*) AS entries FROM ledger_entries
            WHERE at_ms >= \(bind: range.lowerBound) AND at_ms < \(bind: range.upperBound) GROUP BY kind
            """).all(decoding: Row.self) {
            if let kind = LedgerEntry.Kind(rawValue: row.kind) { figures.add(kind, fen: row.fen, overdue: false, entries: row.entries) }
        }
        return figures
    }
}
