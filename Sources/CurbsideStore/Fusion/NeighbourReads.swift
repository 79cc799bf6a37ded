import CurbsideCore
import SQLKit

/// The camera events of the bays that share a camera with others: what the
/// fold needs to tell a read of the neighbour's car filed under the wrong bay.
/// The fold keeps only the other bays' events from its own start on.
enum NeighbourReads {
    static let cameraKinds = [EventKind.cameraArrival, .cameraDeparture, .cameraRead].map(\.rawValue)

    /// For each bay, from its time on (up to a row id), the camera events of the camera that
    /// watches it, its own bay's among them (the fold tells them apart). Each camera's events
    /// are read once, from the earliest time any of its bays needs, and shared by its bays.
    static func load(from times: [String: Int64], through lastEvent: Int64, on sql: any SQLDatabase) async throws -> [String: [DeviceEvent]] {
        guard !times.isEmpty else { return [:] }
        struct Camera: Decodable { var code: String; var camera_id: String }
        let values = FusionProcessor.values(times)
        let cameraOf = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            WITH f(bay_code, from_ms) AS (VALUES \(values))
            SELECT b.code, b.camera_id FROM f JOIN bays b ON b.code = f.bay_code WHERE b.camera_id IS NOT NULL
            """).all(decoding: Camera.self).map { ($0.code, $0.camera_id) })
        guard !cameraOf.isEmpty else { return [:] }
        var since: [String: Int64] = [:]
        for (bay, camera) in cameraOf { since[camera] = min(since[camera] ?? .max, times[bay]!) }
        let rows = try await EventColumns.all(sql.raw(query(since, through: lastEvent)))
        var byCamera: [String: [DeviceEvent]] = [:]
        for row in rows {
            guard let event = row.eventRow?.deviceEvent else { continue }
            byCamera[event.deviceID, default: []].append(event)
        }
        return cameraOf.compactMapValues { byCamera[$0] }
    }

    /// Cameras' events from their times on, up to a row id. Their kinds are written as the partial index of
    /// migration 0037 writes them, so the planner finds the two alike.
    static func query(_ since: [String: Int64], through lastEvent: Int64) -> SQLQueryString {
        """
        WITH c(device_id, from_ms) AS (VALUES \(FusionProcessor.values(since)))
        SELECT \(unsafeRaw: EventColumns.list) FROM c JOIN device_events e ON e.device_id = c.device_id AND e.device_time_ms >= c.from_ms
        WHERE e.kind IN (\(unsafeRaw: cameraKinds.map(String.init).joined(separator: ", "))) AND e.id <= \(bind: lastEvent)
            AND e.device_time_ms >= \(bind: since.values.min() ?? .min)
        """
    }

    /// The bays the `cameras` watch that must refold for a camera's new events, each from the
    /// earliest time given for its camera: those whose folded events reach past that time (a
    /// tail less than `allowance` before it, or no tail yet). A bay folded only up to before
    /// the camera's events reads them when its own next events fold on from its tail.
    static func bays(watchedBy cameras: [String: Int64], allowance: Int64, on sql: any SQLDatabase) async throws -> [String: Int64] {
        guard !cameras.isEmpty else { return [:] }
        struct Row: Decodable { var code: String; var camera_id: String; var at_ms: Int64? }
        var bays: [String: Int64] = [:]
        for chunk in cameras.keys.sorted().chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await sql.raw("""
                SELECT b.code, b.camera_id, t.at_ms FROM bays b LEFT JOIN fold_tails t ON t.bay_code = b.code WHERE b.camera_id IN (\(list))
                """).all(decoding: Row.self) {
                let from = cameras[row.camera_id]!
                guard row.at_ms.map({ from <= $0 + allowance }) ?? true else { continue }
                bays[row.code] = min(bays[row.code] ?? .max, from)
            }
        }
        return bays
    }
}
