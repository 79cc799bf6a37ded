import CurbsideCore
import Foundation
import SQLKit

/// The columns of device_events as SQL rows decode them. Read column by
/// column, not through `Decodable`: folds read tens of thousands a second.
public struct EventColumns {
    var device_id: String
    var event_id: String
    var gateway_id: String
    var bay_code: String?
    var zone_id: String?
    var kind: Int16
    var device_time_ms: Int64
    var received_ms: Int64
    var occupied: Bool?
    var battery: Int?
    var rssi: Int?
    var temperature_deci: Int?
    var plate: String?
    var plate_colour: String?
    var plate_confidence: Int?
    var images: String?

    init(_ row: some SQLRow) throws {
        func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
        }
        device_id = try row.decode(column: "device_id", as: String.self)
        event_id = try row.decode(column: "event_id", as: String.self)
        gateway_id = try row.decode(column: "gateway_id", as: String.self)
        bay_code = try optional("bay_code", String.self)
        zone_id = try optional("zone_id", String.self)
        kind = try row.decode(column: "kind", as: Int16.self)
        device_time_ms = try row.decode(column: "device_time_ms", as: Int64.self)
        received_ms = try row.decode(column: "received_ms", as: Int64.self)
        occupied = try optional("occupied", Bool.self)
        battery = try optional("battery", Int.self)
        rssi = try optional("rssi", Int.self)
        temperature_deci = try optional("temperature_deci", Int.self)
        plate = try optional("plate", String.self)
        plate_colour = try optional("plate_colour", String.self)
        plate_confidence = try optional("plate_confidence", Int.self)
        images = try optional("images", String.self)
    }

    /// The rows of a query selecting `list`.
    public static func all(_ query: SQLRawBuilder) async throws -> [EventColumns] {
        try await query.all().map { try EventColumns($0) }
    }

    public static let list = "e.device_id, e.gateway_id, e.event_id, e.bay_code, e.zone_id, e.kind, e.device_time_ms, e.received_ms, e.occupied, e.battery, e.rssi, e.temperature_deci, e.plate, e.plate_colour, e.plate_confidence, e.images"

    public var eventRow: EventRow? {
        guard let kind = EventKind(rawValue: kind) else { return nil }
        let images = images.flatMap { try? JSONDecoder().decode([EvidenceImageRef].self, from: Data($0.utf8)) } ?? []
        return EventRow(
            deviceID: device_id, eventID: event_id, gatewayID: gateway_id, bay: bay_code.flatMap { try? BayCode(parsing: $0) },
            zoneID: zone_id, kind: kind, deviceTime: device_time_ms, receivedTime: received_ms, occupied: occupied, battery: battery,
            rssi: rssi, temperatureDeci: temperature_deci, plate: plate.map(Plate.init(stored:)),
            plateColour: plate_colour.flatMap(PlateColour.init(rawValue:)), plateConfidence: plate_confidence, images: images
        )
    }
}
