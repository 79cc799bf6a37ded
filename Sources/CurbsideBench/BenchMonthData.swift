import CurbsideCore
import CurbsideStore
import Foundation
import SQLKit

/// A month of a city's data written straight into PostgreSQL with
/// generate_series, deterministic from each row's number: stays laid end to
/// end in each bay, bills for two in three, their ledger entries and payments.
struct BenchMonthData {
    var sessions: Int
    var month: Range<Int64>

    func write(on sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE TEMPORARY TABLE bench_bays AS SELECT (row_number() OVER (ORDER BY code)) - 1 AS k, code, zone_id, sensor_id FROM bays WHERE lifecycle = 'active'").run()
        struct Count: Decodable { var n: Int }
        let bays = try await sql.raw("SELECT COUNT(*) AS n FROM bench_bays").first(decoding: Count.self)?.n ?? 0
        guard bays > 0 else { throw BenchFailure(description: "no bays: Zones/ did not load") }
        // Each bay's share of the month, cut into equal slots; a stay starts in the first quarter of its slot and lasts up to half of it.
        let slot = (month.upperBound - month.lowerBound) / Int64((sessions + bays - 1) / bays)
        let from = month.lowerBound
        let week: Int64 = 7 * Milliseconds.day
        try await sql.raw("""
            INSERT INTO parking_sessions (id, bay_code, zone_id, start_ms, end_ms, plate, plate_colour, plate_confidence, plate_source, quality, flags,
                                          evidence, last_evidence_ms, status, billed_ms, bill_checked_ms, bill_outcome, revision, updated_ms)
            SELECT b.code || '-' || s.start_ms, b.code, b.zone_id, s.start_ms, s.end_ms,
                   CASE WHEN g % 50 = 0 THEN NULL ELSE '粤J' || lpad((g % 99991)::text, 5, '0') END, 'blue', 90, 'bench',
                   CASE WHEN g % 50 = 0 THEN 'sensor_only' ELSE 'video_confirmed' END, 0, '[]', s.end_ms, 'closed', s.end_ms + 600000, s.end_ms + 600000, 'billed', 1, s.end_ms
            FROM generate_series(0, \(bind: sessions - 1)) g
            JOIN bench_bays b ON b.k = g % \(bind: bays)
            CROSS JOIN LATERAL (SELECT \(bind: from) + (g / \(bind: bays)) * \(bind: slot) + (g * 7919) % (\(bind: slot) / 4) AS start_ms) t
            CROSS JOIN LATERAL (SELECT t.start_ms, t.start_ms + 300000 + (g * 104729) % (\(bind: slot) / 2) AS end_ms) s
            """).run()
        try await sql.raw("""
            INSERT INTO bills (number, session_id, bay_code, zone_id, plate, plate_colour, start_ms, end_ms, tariff_id, tariff_version, vehicle, charge_fen,
                               waived_fen, basis, permit_id, lines, evidence, issued_ms, due_ms, outstanding_fen, status, pay_token)
            SELECT 'B' || g, s.id, s.bay_code, s.zone_id, COALESCE(s.plate, '粤J00000'), 'blue', s.start_ms, s.end_ms, 'heshan', 1, 'small',
                   200 + (g * 7919) % 1800, 0, 'charged', NULL, '[]', '[]', s.end_ms + 600000, s.end_ms + 600000 + \(bind: week), 0, 'unpaid', 'T' || g
            FROM (SELECT row_number() OVER (ORDER BY id) AS g, * FROM parking_sessions) s
            WHERE s.g % 3 <> 0 AND s.end_ms + 600000 < \(bind: month.upperBound)
            """).run()
        // Receivable for every bill; received for three in five (one in six of those after the due time), through five channels; a refund for one in a hundred.
        try await sql.raw("""
            INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference)
            SELECT number, 'receivable', charge_fen, issued_ms, 'issue' FROM bills
            """).run()
        try await sql.raw("""
            CREATE TEMPORARY TABLE bench_paid AS
            SELECT number, charge_fen, 'P' || substr(number, 2) AS payment,
                   CASE WHEN substr(number, 2)::bigint % 6 = 0 THEN due_ms + 86400000 ELSE issued_ms + 3600000 END AS paid_ms,
                   (ARRAY['wechat', 'alipay', 'unionpay', 'bank_card', 'etc'])[1 + substr(number, 2)::bigint % 5] AS channel
            FROM bills WHERE substr(number, 2)::bigint % 5 < 3
            """).run()
        try await sql.raw("DELETE FROM bench_paid WHERE paid_ms >= \(bind: month.upperBound)").run()
        try await sql.raw("""
            INSERT INTO payments (id, channel, purpose, citizen_id, session_id, allocations, amount_fen, currency, status, created_ms, expires_ms, paid_ms,
                                  transaction_id, applied_ms, collected_by)
            SELECT payment, channel, 'bills', NULL, NULL, '[]', charge_fen, 'CNY', 'paid', paid_ms - 60000, paid_ms + 900000, paid_ms, 'X' || payment, paid_ms, NULL
            FROM bench_paid
            """).run()
        try await sql.raw("""
            INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference)
            SELECT number, 'received', charge_fen, paid_ms, payment FROM bench_paid ORDER BY paid_ms
            """).run()
        try await sql.raw("""
            INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference)
            SELECT number, kind, 100, paid_ms + 86400000, 'RF' || number FROM bench_paid CROSS JOIN (VALUES ('discount'), ('refund')) k(kind)
            WHERE substr(number, 2)::bigint % 100 = 1 AND paid_ms + 86400000 < \(bind: month.upperBound)
            """).run()
        try await sql.raw("""
            UPDATE bills b SET outstanding_fen = x.balance, status = CASE WHEN x.balance > 0 THEN 'unpaid' ELSE 'settled' END
            FROM (SELECT bill_number, SUM(CASE WHEN kind IN ('receivable', 'refund') THEN amount_fen ELSE -amount_fen END) AS balance
                  FROM ledger_entries GROUP BY bill_number) x
            WHERE x.bill_number = b.number
            """).run()
        // The arrears ladder has taken every step due before the month's end; its next comes a week after.
        try await sql.raw("UPDATE bills SET next_step_ms = \(bind: month.upperBound + week) WHERE status = 'unpaid'").run()
        // Each detector seen from the month's start; one in ten loses contact for six hours on the 10th.
        try await sql.raw("""
            INSERT INTO devices (device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, online, comms_changed_ms)
            SELECT sensor_id, 'detector', 'bench', \(bind: from), \(bind: month.upperBound), \(bind: month.upperBound), true, \(bind: from)
            FROM bench_bays WHERE sensor_id IS NOT NULL
            """).run()
        try await sql.raw("""
            INSERT INTO device_status_events (device_id, kind, at_ms)
            SELECT sensor_id, kind, \(bind: from + 9 * Milliseconds.day) + offset_ms FROM bench_bays
            CROSS JOIN (VALUES ('comms_lost', 0), ('comms_restored', 21600000)) e(kind, offset_ms)
            WHERE sensor_id IS NOT NULL AND k % 10 = 0
            """).run()
        // The ledger and the stays went straight into their tables: the report's day sums are built from them, as migrations 0031, 0034 and 0038 build them.
        try await ReportRollups.rebuild(on: sql)
        try await ReportRollups.summarise(on: sql)
        try await StayRollups.rebuild(on: sql)
        try await SegmentQuarters.rebuild(on: sql)
        try await sql.raw("ANALYZE").run()
    }
}
