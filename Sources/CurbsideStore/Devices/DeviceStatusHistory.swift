import CurbsideCore
import SQLKit

/// How each device stood through a window: whether it was out of contact as
/// the window began (its last comms record before it) and its changes within.
/// Read through the time index and one index probe per device, so a window's
/// cost follows the devices and the window, not the years of records before.
public enum DeviceStatusHistory {
    public struct Window: Sendable, Equatable {
        public var lostAtStart = false
        public var changes: [DeviceUptime.Change] = []

        public init(lostAtStart: Bool = false, changes: [DeviceUptime.Change] = []) {
            self.lostAtStart = lostAtStart
            self.changes = changes
        }
    }

    /// By device, for devices first seen before the window ends that have a record before it or within it.
    public static func windows(for range: Range<Int64>, on sql: any SQLDatabase) async throws -> [String: Window] {
        struct Row: Decodable { var device_id: String; var kind: String; var at_ms: Int64 }
        let rows = try await sql.raw("""
            SELECT e.device_id, e.kind, e.at_ms, e.id FROM device_status_events e
            WHERE e.at_ms >= \(bind: range.lowerBound) AND e.at_ms < \(bind: range.upperBound)
            UNION ALL
            SELECT e.device_id, e.kind, e.at_ms, e.id FROM devices d JOIN device_status_events e ON e.device_id = d.device_id
                AND e.at_ms = (SELECT MAX(x.at_ms) FROM device_status_events x WHERE x.device_id = d.device_id AND x.at_ms < \(bind: range.lowerBound))
            WHERE d.first_seen_ms < \(bind: range.upperBound)
            ORDER BY 1, 3, 4
            """).all(decoding: Row.self)
        var windows: [String: Window] = [:]
        for row in rows {
            if row.at_ms < range.lowerBound {
                windows[row.device_id, default: Window()].lostAtStart = row.kind == "comms_lost"
            } else if let change: DeviceUptime.Change = row.kind == "comms_lost" ? .lost(row.at_ms) : row.kind == "comms_restored" ? .restored(row.at_ms) : nil {
                windows[row.device_id, default: Window()].changes.append(change)
            }
        }
        return windows
    }
}
