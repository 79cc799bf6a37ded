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
        // The version is read first: a change landing during the read makes the next look reload, never hides.
        let version = try await currentVersion(on: database)
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
        return DeviceBindings(devices: devices, zones: zones, version: version)
    }

    static func currentVersion(on database: any Database) async throws -> Int {
        struct Row: Decodable { var version: Int? }
        let sql = database.sql
        return try await sql.raw("SELECT MAX(id) AS version FROM registry_changes").first(decoding: Row.self)?.version ?? 0
    }
}

/// The bindings, reloaded when the registry has changed since they were read.
/// Callers arriving while a load runs wait for it rather than start their own:
/// a city's bindings are tens of thousands of rows, and a server's first
/// batches come several at once.
public actor DeviceBindingsCache {
    private var current: DeviceBindings?
    private var loading: Task<DeviceBindings, any Error>?
    /// Reads of the registry so far.
    private(set) var loads = 0

    public init() {}

    public func bindings(on database: any Database) async throws -> DeviceBindings {
        let wanted = try await DeviceBindings.currentVersion(on: database)
        if let current, current.version >= wanted { return current }
        if let loading, let loaded = try? await loading.value, loaded.version >= wanted { return loaded }
        let load = Task { try await DeviceBindings.load(on: database) }
        loading = load
        loads += 1
        defer { if loading == load { loading = nil } }
        let loaded = try await load.value
        if loaded.version >= current?.version ?? .min { current = loaded }
        return loaded
    }
}
