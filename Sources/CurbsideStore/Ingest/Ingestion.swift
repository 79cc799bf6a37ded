import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// What storing a batch did.
public struct IngestOutcome: Sendable, Equatable {
    /// Events stored now.
    public var accepted = 0
    /// Events stored before (same device and event id): acknowledged again, stored once.
    public var duplicates = 0
    /// Evidence images the new events refer to that have not been uploaded yet.
    public var missingImages: [String] = []
    /// Bays whose sessions must be refolded.
    public var bays = 0
}

/// Stores device events. One transaction per batch: the events, the bays to
/// refold, the live occupancy and the device health either all land or none
/// does, and the batch is acknowledged only after the commit.
public struct Ingestion: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func ingest(_ rows: [EventRow], at now: Int64) async throws -> IngestOutcome {
        guard !rows.isEmpty else { return IngestOutcome() }
        return try await store.write(on: database) { db in
            let sql = db as! any SQLDatabase
            var inserted = Set<String>()
            var seenInBatch = Set<String>()
            // In key order, as every table below is written in its key order: concurrent
            // batches sharing events (a gateway re-sending) then wait for each other, never deadlock.
            let unique = rows.filter { seenInBatch.insert($0.key).inserted }.sorted { ($0.deviceID, $0.eventID) < ($1.deviceID, $1.eventID) }
            for chunk in unique.chunks(of: 400) {
                inserted.formUnion(try await Self.insert(chunk, on: sql))
            }
            let fresh = unique.filter { inserted.contains($0.key) }
            var outcome = IngestOutcome(accepted: fresh.count, duplicates: rows.count - fresh.count)
            guard !fresh.isEmpty else { return outcome }
            outcome.missingImages = try await Self.missingImages(fresh, on: sql)
            // The rows other batches also write come last, so their locks are held only until the commit.
            outcome.bays = try await Self.queue(fresh, at: now, on: sql)
            try await Self.updateOccupancy(fresh, at: now, on: sql)
            try await Self.updateDevices(fresh, at: now, on: sql)
            return outcome
        }
    }

    /// Inserts new events, returning the keys of those not stored before.
    static func insert(_ rows: ArraySlice<EventRow>, on sql: any SQLDatabase) async throws -> Set<String> {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var builder = sql.insert(into: "device_events").columns(
            "device_id", "event_id", "gateway_id", "bay_code", "zone_id", "kind", "device_time_ms", "received_ms", "occupied",
            "battery", "rssi", "temperature_deci", "plate", "plate_colour", "plate_confidence", "images"
        )
        for row in rows {
            let images = row.images.isEmpty ? nil : String(decoding: try encoder.encode(row.images), as: UTF8.self)
            builder = builder.values([
                row.deviceID, row.eventID, row.gatewayID, row.bay?.rawValue, row.zoneID, row.kind.rawValue, row.deviceTime,
                row.receivedTime, row.occupied, row.battery.map(Int16.init), row.rssi.map(Int16.init), row.temperatureDeci.map(Int16.init),
                row.plate?.text, row.plateColour?.rawValue, row.plateConfidence.map(Int16.init), images,
            ] as [any Encodable & Sendable])
        }
        struct Key: Decodable { var device_id: String; var event_id: String }
        let keys = try await builder.ignoringConflicts(with: ["device_id", "event_id"])
            .returning("device_id", "event_id").all(decoding: Key.self)
        return Set(keys.map { $0.device_id + "/" + $0.event_id })
    }

    /// Marks each bay for refolding from its earliest new event.
    static func queue(_ rows: [EventRow], at now: Int64, on sql: any SQLDatabase) async throws -> Int {
        var earliest: [String: Int64] = [:]
        for row in rows {
            guard let bay = row.bay?.rawValue else { continue }
            earliest[bay] = min(earliest[bay] ?? .max, row.deviceTime)
        }
        guard !earliest.isEmpty else { return 0 }
        for chunk in earliest.sorted(by: { $0.key < $1.key }).chunks(of: 500) {
            let values = chunk.map { "(\(bind: $0.key), \(bind: $0.value), \(bind: now))" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO fusion_queue (bay_code, dirty_from_ms, queued_ms) VALUES \(values)
                ON CONFLICT (bay_code) DO UPDATE SET dirty_from_ms = CASE
                    WHEN excluded.dirty_from_ms < fusion_queue.dirty_from_ms THEN excluded.dirty_from_ms
                    ELSE fusion_queue.dirty_from_ms END
                """).run()
        }
        return earliest.count
    }

    /// The latest reported state of each bay, unless a newer one is already stored.
    static func updateOccupancy(_ rows: [EventRow], at now: Int64, on sql: any SQLDatabase) async throws {
        var latest: [BayCode: EventRow] = [:]
        for row in rows {
            guard let bay = row.bay, row.reportedOccupancy != nil else { continue }
            if let current = latest[bay], (current.deviceTime, current.key) > (row.deviceTime, row.key) { continue }
            latest[bay] = row
        }
        guard !latest.isEmpty else { return }
        for chunk in latest.values.sorted(by: { $0.bay!.rawValue < $1.bay!.rawValue }).chunks(of: 400) {
            let values = chunk.map {
                "(\(bind: $0.bay!.rawValue), \(bind: $0.zoneID ?? ""), \(bind: $0.reportedOccupancy!), \(bind: $0.deviceTime), \(bind: $0.deviceID), \(bind: now))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO bay_occupancy (bay_code, zone_id, occupied, state_ms, device_id, updated_ms) VALUES \(values)
                ON CONFLICT (bay_code) DO UPDATE SET occupied = excluded.occupied, state_ms = excluded.state_ms,
                    device_id = excluded.device_id, updated_ms = excluded.updated_ms
                WHERE excluded.state_ms >= bay_occupancy.state_ms
                """).run()
        }
    }

    /// Last seen, battery, signal, temperature and clock skew of each reporting device.
    /// A device that was offline is back: that is recorded as comms_restored.
    static func updateDevices(_ rows: [EventRow], at now: Int64, on sql: any SQLDatabase) async throws {
        struct Health {
            var kind: DeviceBindings.Kind
            var gateway: String
            var lastEvent: Int64
            var heartbeat: EventRow?
        }
        var devices: [String: Health] = [:]
        for row in rows {
            let kind: DeviceBindings.Kind = row.kind == .sensorChange || (row.kind == .heartbeat && row.plate == nil && row.occupied != nil) ? .sensor : .camera
            var health = devices[row.deviceID] ?? Health(kind: kind, gateway: row.gatewayID, lastEvent: row.deviceTime, heartbeat: nil)
            health.lastEvent = max(health.lastEvent, row.deviceTime)
            if row.kind == .heartbeat, health.heartbeat.map({ $0.deviceTime < row.deviceTime }) ?? true { health.heartbeat = row }
            devices[row.deviceID] = health
        }
        let ids = devices.keys.sorted()
        for chunk in ids.chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            struct Offline: Decodable { var device_id: String }
            let back = try await sql.raw("SELECT device_id FROM devices WHERE online = \(bind: false) AND device_id IN (\(list))").all(decoding: Offline.self)
            for device in back {
                try await sql.raw("INSERT INTO device_status_events (device_id, kind, at_ms) VALUES (\(bind: device.device_id), 'comms_restored', \(bind: now))").run()
            }
            let values = chunk.map { id -> SQLQueryString in
                let health = devices[id]!
                let beat = health.heartbeat
                // Heartbeats are sent live, so their device time against receive time is the clock skew.
                let skew = beat.map { $0.deviceTime - $0.receivedTime }
                return """
                    (\(bind: id), \(bind: health.kind.rawValue), \(bind: health.gateway), \(bind: now), \(bind: now), \(bind: health.lastEvent),
                     \(bind: beat?.battery.map(Int16.init)), \(bind: beat?.rssi.map(Int16.init)), \(bind: beat?.temperatureDeci.map(Int16.init)),
                     \(bind: skew), \(bind: true), \(bind: now))
                    """
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO devices (device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, battery, rssi, temperature_deci,
                    clock_skew_ms, online, comms_changed_ms) VALUES \(values)
                ON CONFLICT (device_id) DO UPDATE SET
                    gateway_id = excluded.gateway_id,
                    last_seen_ms = excluded.last_seen_ms,
                    last_event_ms = CASE WHEN excluded.last_event_ms > devices.last_event_ms THEN excluded.last_event_ms ELSE devices.last_event_ms END,
                    battery = COALESCE(excluded.battery, devices.battery),
                    rssi = COALESCE(excluded.rssi, devices.rssi),
                    temperature_deci = COALESCE(excluded.temperature_deci, devices.temperature_deci),
                    clock_skew_ms = COALESCE(excluded.clock_skew_ms, devices.clock_skew_ms),
                    comms_changed_ms = CASE WHEN devices.online THEN devices.comms_changed_ms ELSE excluded.comms_changed_ms END,
                    online = excluded.online
                """).run()
        }
    }

    /// Digests referred to by the events that no upload has provided yet.
    static func missingImages(_ rows: [EventRow], on sql: any SQLDatabase) async throws -> [String] {
        let digests = Array(Set(rows.flatMap { $0.images.map(\.sha256) })).sorted()
        guard !digests.isEmpty else { return [] }
        var stored = Set<String>()
        struct Row: Decodable { var sha256: String }
        for chunk in digests.chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            stored.formUnion(try await sql.raw("SELECT sha256 FROM evidence_images WHERE sha256 IN (\(list))").all(decoding: Row.self).map(\.sha256))
        }
        return digests.filter { !stored.contains($0) }
    }
}

extension Collection {
    /// Consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [SubSequence] {
        var result: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            result.append(self[start..<end])
            start = end
        }
        return result
    }
}
