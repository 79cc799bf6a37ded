import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// What is known of one device's health, and why it needs a visit, if it does.
public struct DeviceHealth: Sendable {
    public var deviceID: String
    public var kind: String
    public var gatewayID: String
    public var bays: [String]
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var lastEvent: Int64
    public var battery: Int?
    public var rssi: Int?
    public var temperatureDeci: Int?
    /// The largest device time minus receive time of the day's prompt reports
    /// (or of late ones its gateway sent live), ms: the closest to the clock's offset.
    public var clockSkew: Int64?
    public var online: Bool
    public var commsChanged: Int64
    /// Detector changes reverted within the debounce in the last 24 hours.
    public var flaps24h: Int
    public var reasons: [String]
}

/// When a device needs a visit.
public struct DeviceThresholds: Sendable {
    /// No report for this long: offline (comms lost).
    public var offlineAfter: Int64 = 15 * Milliseconds.minute
    public var lowBattery = 20
    /// Seed 003: device clocks within 1 s.
    public var clockSkew: Int64 = 1_000
    /// Late reports, with none prompt, that show a clock behind rather than a slow day.
    public var lateReportsBehind = 12
    /// Flaps in 24 h beyond which the detector needs adjusting.
    public var flaps24h = 24
    public var debounce: Int64 = Milliseconds.minute

    public init(offlineAfter: Int64 = 15 * Milliseconds.minute, debounce: Int64 = Milliseconds.minute) {
        self.offlineAfter = offlineAfter
        self.debounce = debounce
    }
}

extension DeviceThresholds {
    /// Judged on evidence about the clock only, never on delivery: ahead when
    /// any report came in more than `clockSkew` ahead of our clock (a delay
    /// cannot do that); behind when a day's reports all came more than the
    /// prompt window late, at least `lateReportsBehind` of them, in batches the
    /// gateway sent live. A gateway that batches or re-sends a backlog cannot
    /// make an exact clock look wrong.
    func clockIsOff(best: Int64?, prompt: Int, late: Int) -> Bool {
        guard let best else { return false }
        if best > clockSkew { return true }
        return prompt == 0 && late >= lateReportsBehind
    }
}

/// Device health: listing, and the comms lost / restored records.
public struct DeviceRegistry: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func list(needsVisit: Bool, thresholds: DeviceThresholds, bindings: DeviceBindings, now: Int64) async throws -> [DeviceHealth] {
        let sql = database.sql
        struct Row: Decodable {
            var device_id: String
            var kind: String
            var gateway_id: String
            var first_seen_ms: Int64
            var last_seen_ms: Int64
            var last_event_ms: Int64
            var battery: Int?
            var rssi: Int?
            var temperature_deci: Int?
            var clock_skew_ms: Int64?
            var online: Bool
            var comms_changed_ms: Int64
            var clock_prompt: Int?
            var clock_late: Int?
        }
        struct Flaps: Decodable { var device_id: String; var flaps: Int }
        let rows = try await sql.raw("""
            SELECT device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, battery, rssi, temperature_deci,
                   clock_skew_ms, online, comms_changed_ms, clock_prompt, clock_late FROM devices ORDER BY device_id
            """).all(decoding: Row.self)
        let flaps = try await sql.raw("""
            SELECT device_id, COUNT(*) AS flaps FROM (
                SELECT device_id, occupied, device_time_ms,
                       LEAD(device_time_ms) OVER (PARTITION BY device_id ORDER BY device_time_ms) AS next_ms,
                       LEAD(occupied) OVER (PARTITION BY device_id ORDER BY device_time_ms) AS next_occupied
                FROM device_events WHERE kind = \(bind: EventKind.sensorChange.rawValue) AND device_time_ms >= \(bind: now - Milliseconds.day)
            ) changes WHERE next_ms IS NOT NULL AND next_ms - device_time_ms < \(bind: thresholds.debounce) AND next_occupied <> occupied
            GROUP BY device_id
            """).all(decoding: Flaps.self)
        let flapCounts = Dictionary(uniqueKeysWithValues: flaps.map { ($0.device_id, $0.flaps) })
        return rows.compactMap { row in
            var reasons: [String] = []
            let online = row.online && now - row.last_seen_ms <= thresholds.offlineAfter
            if !online { reasons.append("offline") }
            if let battery = row.battery, battery < thresholds.lowBattery { reasons.append("low_battery") }
            if thresholds.clockIsOff(best: row.clock_skew_ms, prompt: row.clock_prompt ?? 0, late: row.clock_late ?? 0) { reasons.append("clock_skew") }
            let flaps = flapCounts[row.device_id] ?? 0
            if flaps > thresholds.flaps24h { reasons.append("flapping") }
            if bindings.devices[row.device_id] == nil { reasons.append("unbound") }
            guard !needsVisit || !reasons.isEmpty else { return nil }
            return DeviceHealth(
                deviceID: row.device_id, kind: row.kind, gatewayID: row.gateway_id,
                bays: bindings.devices[row.device_id]?.bays.map(\.rawValue).sorted() ?? [], firstSeen: row.first_seen_ms,
                lastSeen: row.last_seen_ms, lastEvent: row.last_event_ms, battery: row.battery, rssi: row.rssi,
                temperatureDeci: row.temperature_deci, clockSkew: row.clock_skew_ms, online: online, commsChanged: row.comms_changed_ms,
                flaps24h: flaps, reasons: reasons
            )
        }
    }

    /// Devices that sent events the registry binds to no bay: listed with the
    /// reason `unbound`, so an installer sees the device that is not set up.
    public func recordUnbound(_ devices: Set<String>, gateway: String, at now: Int64) async throws {
        guard !devices.isEmpty else { return }
        try await store.write(on: database) { db in
            let sql = db.sql
            let values = devices.sorted().map {
                "(\(bind: $0), 'unknown', \(bind: gateway), \(bind: now), \(bind: now), \(bind: now), \(bind: true), \(bind: now))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO devices (device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, online, comms_changed_ms)
                VALUES \(values)
                ON CONFLICT (device_id) DO UPDATE SET gateway_id = excluded.gateway_id, last_seen_ms = excluded.last_seen_ms
                WHERE devices.kind = 'unknown'
                """).run()
        }
    }

    /// Marks devices silent for longer than `offlineAfter` offline, each with a comms_lost record.
    /// Safe with several servers: only one of them changes a given device.
    @discardableResult
    public func markOffline(offlineAfter: Int64, now: Int64) async throws -> [String] {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var device_id: String }
            let lost = try await sql.raw("""
                UPDATE devices SET online = \(bind: false), comms_changed_ms = \(bind: now)
                WHERE online = \(bind: true) AND last_seen_ms < \(bind: now - offlineAfter) AND kind <> 'unknown' RETURNING device_id
                """).all(decoding: Row.self).map(\.device_id).sorted()
            // One statement per 500 records: the devices stay locked until the commit, and fusion's rounds wait for them
            // (a row at a time, 50,000 devices gone quiet held fusion back for 13 s).
            for chunk in lost.chunks(of: 500) {
                let rows = chunk.map { "(\(bind: $0), 'comms_lost', \(bind: now))" as SQLQueryString }.joined(separator: ", ")
                try await sql.raw("INSERT INTO device_status_events (device_id, kind, at_ms) VALUES \(rows)").run()
            }
            return lost
        }
    }

    public func offlineCount() async throws -> Int {
        struct Row: Decodable { var count: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS count FROM devices WHERE online = \(bind: false)")
            .first(decoding: Row.self)?.count ?? 0
    }

    public struct StatusEvent: Sendable, Decodable {
        public var id: Int
        public var device_id: String
        public var kind: String
        public var at_ms: Int64
    }

    /// comms_lost and comms_restored records in order, after a cursor.
    public func statusEvents(after: Int?, limit: Int) async throws -> [StatusEvent] {
        let sql = database.sql
        let condition: SQLQueryString = after.map { " WHERE id > \(bind: $0)" } ?? ""
        return try await sql.raw("SELECT id, device_id, kind, at_ms FROM device_status_events\(condition) ORDER BY id LIMIT \(bind: limit)")
            .all(decoding: StatusEvent.self)
    }
}
