import CurbsideCore
import SQLKit

/// The camera events of the bays that share a camera with others: what the
/// fold needs to tell a read of the neighbour's car filed under the wrong bay.
enum NeighbourReads {
    static let cameraKinds = [EventKind.cameraArrival, .cameraDeparture, .cameraRead].map(\.rawValue)

    /// For each bay, from its time on (up to a row id), the events its camera reported for other bays.
    static func load(from times: [String: Int64], through lastEvent: Int64, on sql: any SQLDatabase) async throws -> [String: [DeviceEvent]] {
        guard !times.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            WITH f(bay_code, from_ms) AS (VALUES \(FusionProcessor.values(times)))
            SELECT f.bay_code AS target, \(unsafeRaw: EventColumns.list)
            FROM f JOIN bays b ON b.code = f.bay_code
            JOIN device_events e ON e.device_id = b.camera_id AND e.device_time_ms >= f.from_ms AND e.bay_code <> f.bay_code
            WHERE e.kind IN (\(unsafeRaw: cameraKinds.map(String.init).joined(separator: ", "))) AND e.id <= \(bind: lastEvent)
            """).all()
        var events: [String: [DeviceEvent]] = [:]
        for row in rows {
            guard let event = try row.decode(model: EventColumns.self).eventRow?.deviceEvent else { continue }
            events[try row.decode(column: "target", as: String.self), default: []].append(event)
        }
        return events
    }

    /// The bays the `cameras` watch, each from the earliest time given for its camera:
    /// a plate read at one bay may settle what a neighbour's stay is.
    static func bays(watchedBy cameras: [String: Int64], on sql: any SQLDatabase) async throws -> [String: Int64] {
        guard !cameras.isEmpty else { return [:] }
        struct Row: Decodable { var code: String; var camera_id: String }
        var bays: [String: Int64] = [:]
        for chunk in cameras.keys.sorted().chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await sql.raw("SELECT code, camera_id FROM bays WHERE camera_id IN (\(list))").all(decoding: Row.self) {
                bays[row.code] = min(bays[row.code] ?? .max, cameras[row.camera_id]!)
            }
        }
        return bays
    }
}
