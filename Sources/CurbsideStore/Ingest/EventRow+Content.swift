import CurbsideCore
import Foundation

extension EventRow {
    /// What the device said, without when or through which gateway it reached
    /// us: two sends of one event have the same content, a reused id rarely does.
    struct Content: Codable, Equatable {
        var bay: String?
        var kind: Int16
        var deviceTime: Int64
        var occupied: Bool?
        var battery: Int?
        var rssi: Int?
        var temperatureDeci: Int?
        var plate: String?
        var plateColour: String?
        var plateConfidence: Int?
        var images: [EvidenceImageRef]
    }

    var content: Content {
        Content(
            bay: bay?.rawValue, kind: kind.rawValue, deviceTime: deviceTime, occupied: occupied, battery: battery, rssi: rssi,
            temperatureDeci: temperatureDeci, plate: plate?.text, plateColour: plateColour?.rawValue, plateConfidence: plateConfidence, images: images
        )
    }

    /// The content as stored for audit.
    var contentJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(content)) ?? Data(), as: UTF8.self)
    }
}
