import Foundation
import CurbsideCore

/// One device event as a gateway sends it (the body of POST /v1/gateway/events).
public struct GatewayEvent: Sendable, Equatable {
    public struct Read: Sendable, Equatable {
        public var plate: String
        public var colour: String
        /// Hundredths.
        public var confidence: Int

        public init(plate: String, colour: String, confidence: Int) {
            (self.plate, self.colour, self.confidence) = (plate, colour, confidence)
        }
    }

    public struct Image: Sendable, Equatable {
        public var sha256: String
        public var capturedAt: Int64
        public var deviceID: String
        public var position: GeoPoint

        public init(sha256: String, capturedAt: Int64, deviceID: String, position: GeoPoint) {
            (self.sha256, self.capturedAt, self.deviceID, self.position) = (sha256, capturedAt, deviceID, position)
        }
    }

    public var deviceID: String
    public var eventID: String
    /// Left out for detector events (a detector's bay is known) and camera heartbeats.
    public var bay: String?
    /// Device time, UTC seconds.
    public var time: Int64
    /// When the server receives it, UTC seconds: events are sent in this order.
    public var received: Int64
    public var type: String
    public var occupied: Bool?
    public var battery: Int?
    public var rssi: Int?
    /// Tenths of a degree.
    public var temperature: Int?
    public var read: Read?
    public var images: [Image] = []

    public init(
        deviceID: String, eventID: String, bay: String?, time: Int64, received: Int64, type: String, occupied: Bool? = nil,
        battery: Int? = nil, rssi: Int? = nil, temperature: Int? = nil, read: Read? = nil, images: [Image] = []
    ) {
        (self.deviceID, self.eventID, self.bay, self.time, self.received, self.type) = (deviceID, eventID, bay, time, received, type)
        (self.occupied, self.battery, self.rssi, self.temperature, self.read, self.images) = (occupied, battery, rssi, temperature, read, images)
    }

    /// One compact JSON object with its keys in a fixed order, times in the zone's local offset.
    public func json(in clock: ZoneClock) -> String {
        var fields = ["\"device_id\":\(quoted(deviceID))", "\"event_id\":\(quoted(eventID))"]
        if let bay { fields.append("\"bay\":\(quoted(bay))") }
        fields.append("\"time\":\(quoted(LocalDateTime.format(time, in: clock)))")
        fields.append("\"type\":\(quoted(type))")
        if let occupied { fields.append("\"occupied\":\(occupied)") }
        if let battery { fields.append("\"battery\":\(battery)") }
        if let rssi { fields.append("\"rssi\":\(rssi)") }
        if let temperature { fields.append("\"temperature\":\(Self.decimal(temperature, places: 1))") }
        if let read {
            fields.append("\"plate\":{\"text\":\(quoted(read.plate)),\"colour\":\(quoted(read.colour)),\"confidence\":\(Self.decimal(read.confidence, places: 2))}")
        }
        if !images.isEmpty {
            let list = images.map { image in
                "{\"sha256\":\"\(image.sha256)\",\"captured_at\":\(quoted(LocalDateTime.format(image.capturedAt, in: clock))),\"device_id\":\(quoted(image.deviceID)),"
                    + "\"longitude\":\(image.position.longitude),\"latitude\":\(image.position.latitude)}"
            }
            fields.append("\"images\":[\(list.joined(separator: ","))]")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func decimal(_ value: Int, places: Int) -> String {
        let scale = places == 1 ? 10 : 100
        let sign = value < 0 ? "-" : ""
        let whole = abs(value) / scale, fraction = abs(value) % scale
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: places - digits.count))\(digits)"
    }

    private func quoted(_ text: String) -> String {
        var out = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(character)
            }
        }
        return out + "\""
    }
}
