import CurbsideCore
import FluentKit
import SQLKit

/// The operating side of the concession report kept summed, so a month's
/// report reads a few thousand sums instead of every stay: stays by local day,
/// zone and whether their bay has a camera (`stay_days`), and closed stays'
/// occupied time by zone and UTC quarter-hour (`occupied_quarters`). Each
/// fusion round adds what its writes changed as deltas in its transaction
/// (inserts, so servers folding other bays never wait on one sum's row); the
/// report-sums job folds them in, as for the ledger's sums (`ReportRollups`).
/// Reports read sums and deltas together, so they are exact either way.
public struct StayRollups: Sendable {
    let store: Store
    let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// The zones' clocks, which put a stay on its local day.
    static func clocks(on sql: any SQLDatabase) async throws -> [String: ZoneClock] {
        struct Row: Decodable { var id: String; var time_zone: String }
        var clocks: [String: ZoneClock] = [:]
        for row in try await sql.raw("SELECT id, time_zone FROM zones").all(decoding: Row.self) {
            clocks[row.id] = ZoneClock(identifier: row.time_zone)
        }
        return clocks
    }

    /// Which of the bays have a camera now.
    static func cameras(of bays: Set<String>, on sql: any SQLDatabase) async throws -> Set<String> {
        struct Row: Decodable { var code: String }
        var watched: Set<String> = []
        for chunk in bays.sorted().chunks(of: 500) {
            let rows = try await sql.raw("SELECT code FROM bays WHERE camera_id IS NOT NULL AND code IN (\(binds: Array(chunk)))").all(decoding: Row.self)
            watched.formUnion(rows.map(\.code))
        }
        return watched
    }

    /// Adds the deltas of sessions changed in a fusion round: each pair is a session
    /// as it was stored (nil when new) and as it is now (nil when removed or voided).
    static func record(_ changes: [(before: SessionRow?, after: SessionRow?)], on sql: any SQLDatabase) async throws {
        guard !changes.isEmpty else { return }
        let bays = Set(changes.compactMap { ($0.after ?? $0.before)?.bay })
        let cameras = try await cameras(of: bays, on: sql)
        var shares = StayShares(clocks: try await clocks(on: sql))
        for change in changes {
            if let before = change.before { shares.add(.init(before, camera: cameras.contains(before.bay)), sign: -1) }
            if let after = change.after { shares.add(.init(after, camera: cameras.contains(after.bay))) }
        }
        try await insert(shares, deltas: true, on: sql)
    }

    /// A bay that gains or loses its camera moves its stays between camera and
    /// camera-less bays, as the report (which asks whether the bay has a camera
    /// now) counts them, once fusion is held off (`FoldLock`).
    static func moveBay(_ code: String, camera: Bool, on sql: any SQLDatabase) async throws {
        try await FoldLock.exclude(on: sql)
        var shares = StayShares(clocks: try await clocks(on: sql))
        try await eachStay(where: "s.bay_code = \(bind: code)", on: sql) { stay in
            var moved = stay
            moved.camera = !camera
            shares.add(moved, sign: -1)
            moved.camera = camera
            shares.add(moved)
        }
        // Only days change: a stay's occupied time does not depend on the camera.
        shares.quarters = [:]
        try await insert(shares, deltas: true, on: sql)
    }

    /// Each stay a condition on `s` (parking_sessions) picks, voided ones left out, with its bay's camera now; read in batches.
    static func eachStay(where condition: SQLQueryString, on sql: any SQLDatabase, _ body: (StayShares.Stay) -> Void) async throws {
        struct Row: Decodable { var id: String; var zone_id: String; var start_ms: Int64; var end_ms: Int64?; var quality: String; var camera: Int }
        var after = ""
        while true {
            let rows = try await sql.raw("""
                SELECT s.id, s.zone_id, s.start_ms, s.end_ms, s.quality, CASE WHEN y.camera_id IS NULL THEN 0 ELSE 1 END AS camera
                FROM parking_sessions s LEFT JOIN bays y ON y.code = s.bay_code
                WHERE s.id > \(bind: after) AND s.status <> 'void' AND \(condition) ORDER BY s.id LIMIT 20000
                """).all(decoding: Row.self)
            guard let last = rows.last else { return }
            for row in rows {
                let videoConfirmed = row.quality == ParkingSession.Quality.videoConfirmed.rawValue
                body(.init(zone: row.zone_id, start: row.start_ms, end: row.end_ms, videoConfirmed: videoConfirmed, camera: row.camera != 0))
            }
            after = last.id
        }
    }

    /// Folds up to `limit` deltas of each kind into the sums in one transaction; returns how many it took.
    @discardableResult
    public func consolidate(limit: Int = 10_000) async throws -> Int {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Day: Decodable { var day: Int; var zone_id: String; var camera: Int16; var stays: Int64; var reads: Int64 }
            struct Quarter: Decodable { var zone_id: String; var quarter: Int64; var ms: Int64 }
            let skipLocked: SQLQueryString = store.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let days = try await sql.raw("""
                DELETE FROM stay_day_deltas WHERE id IN (SELECT id FROM stay_day_deltas ORDER BY id LIMIT \(bind: limit)\(skipLocked))
                RETURNING day, zone_id, camera, stays, reads
                """).all(decoding: Day.self)
            let quarters = try await sql.raw("""
                DELETE FROM occupied_quarter_deltas WHERE id IN (SELECT id FROM occupied_quarter_deltas ORDER BY id LIMIT \(bind: limit)\(skipLocked))
                RETURNING zone_id, quarter, ms
                """).all(decoding: Quarter.self)
            var shares = StayShares(clocks: [:])
            for row in days {
                let key = StayShares.DayKey(day: row.day, zone: row.zone_id, camera: row.camera != 0)
                shares.days[key, default: (0, 0)].stays += row.stays
                shares.days[key, default: (0, 0)].reads += row.reads
            }
            for row in quarters {
                shares.quarters[.init(zone: row.zone_id, quarter: row.quarter), default: 0] += row.ms
            }
            try await Self.insert(shares, deltas: false, on: sql)
            return days.count + quarters.count
        }
    }

    /// Writes shares as deltas, or adds them to the sums, in key order (so two transactions adding to the same sums take their rows in the same order).
    static func insert(_ shares: StayShares, deltas: Bool, on sql: any SQLDatabase) async throws {
        let (days, quarters) = shares.changed
        let dayTable = deltas ? "stay_day_deltas" : "stay_days"
        let quarterTable = deltas ? "occupied_quarter_deltas" : "occupied_quarters"
        for chunk in days.chunks(of: 300) {
            let values = chunk.map { key, stays, reads in
                "(\(bind: Int32(key.day)), \(bind: key.zone), \(bind: Int16(key.camera ? 1 : 0)), \(bind: stays), \(bind: reads))" as SQLQueryString
            }.joined(separator: ", ")
            let merging: SQLQueryString = deltas ? "" : " ON CONFLICT (day, zone_id, camera) DO UPDATE SET stays = stay_days.stays + excluded.stays, reads = stay_days.reads + excluded.reads"
            try await sql.raw("INSERT INTO \(ident: dayTable) (day, zone_id, camera, stays, reads) VALUES \(values)\(merging)").run()
        }
        for chunk in quarters.chunks(of: 500) {
            let values = chunk.map { key, ms in "(\(bind: key.zone), \(bind: key.quarter), \(bind: ms))" as SQLQueryString }.joined(separator: ", ")
            let merging: SQLQueryString = deltas ? "" : " ON CONFLICT (zone_id, quarter) DO UPDATE SET ms = occupied_quarters.ms + excluded.ms"
            try await sql.raw("INSERT INTO \(ident: quarterTable) (zone_id, quarter, ms) VALUES \(values)\(merging)").run()
        }
    }

    /// Sums and deltas together, as one table to select from.
    static let days: SQLQueryString = """
        (SELECT day, zone_id, camera, stays, reads FROM stay_days UNION ALL SELECT day, zone_id, camera, stays, reads FROM stay_day_deltas)
        """
    static let quarters: SQLQueryString = """
        (SELECT zone_id, quarter, ms FROM occupied_quarters UNION ALL SELECT zone_id, quarter, ms FROM occupied_quarter_deltas)
        """

    /// Rebuilds every sum from the stored sessions: what a store that had sessions before the sums existed starts
    /// from, and what a benchmark that writes its sessions straight into the table does after. The sums are a few
    /// rows a zone a day, so they are added up in memory over batches of sessions and written once.
    public static func rebuild(on sql: any SQLDatabase) async throws {
        for table in ["stay_day_deltas", "stay_days", "occupied_quarter_deltas", "occupied_quarters"] {
            try await sql.raw("DELETE FROM \(ident: table)").run()
        }
        var shares = StayShares(clocks: try await clocks(on: sql))
        try await eachStay(where: "1 = 1", on: sql) { shares.add($0) }
        try await insert(shares, deltas: false, on: sql)
    }
}
