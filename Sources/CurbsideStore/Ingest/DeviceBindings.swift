import CurbsideCore
import FluentKit
import SQLKit

/// Which devices report for which bays, from the registry: a detector sits in
/// one bay, a camera watches several. A device may report only for its bays.
public struct DeviceBindings: Sendable {
    public enum Kind: String, Sendable, Codable {
        case sensor, camera
    }

    public struct Device: Sendable {
        public var kind: Kind
        public var bays: Set<BayCode>
    }

    public let devices: [String: Device]
    /// The zone of every bay that has a device.
    public let zones: [BayCode: String]
    /// The registry change the bindings were read at; newer changes mean a reload.
    public let version: Int

    /// Retired bays keep no bindings; suspended ones do, as their devices still report.
    public static func load(on database: any Database) async throws -> DeviceBindings {
        let sql = database.sql
        struct Row: Decodable {
            var code: String
            var zone_id: String
            var sensor_id: String?
            var camera_id: String?
        }
        let rows = try await sql.raw("SELECT code, zone_id, sensor_id, camera_id FROM bays WHERE lifecycle = 'active'").all(decoding: Row.self)
        var devices: [String: Device] = [:]
        var zones: [BayCode: String] = [:]
        for row in rows {
            guard let code = try? BayCode(parsing: row.code) else { continue }
            zones[code] = row.zone_id
            if let sensor = row.sensor_id { devices[sensor, default: Device(kind: .sensor, bays: [])].bays.insert(code) }
            if let camera = row.camera_id { devices[camera, default: Device(kind: .camera, bays: [])].bays.insert(code) }
        }
        return DeviceBindings(devices: devices, zones: zones, version: try await currentVersion(on: database))
    }

    static func currentVersion(on database: any Database) async throws -> Int {
        struct Row: Decodable { var version: Int? }
        let sql = database.sql
        return try await sql.raw("SELECT MAX(id) AS version FROM registry_changes").first(decoding: Row.self)?.version ?? 0
    }
}

/// The bindings, reloaded when the registry has changed since they were read.
public actor DeviceBindingsCache {
    private var current: DeviceBindings?

    public init() {}

    public func bindings(on database: any Database) async throws -> DeviceBindings {
        if let current, try await DeviceBindings.currentVersion(on: database) == current.version { return current }
        let loaded = try await DeviceBindings.load(on: database)
        current = loaded
        return loaded
    }
}
