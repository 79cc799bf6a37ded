import CurbsideCore

/// One device's reports in a batch, as its health record takes them.
struct DeviceReport: Codable, Sendable, Equatable {
    struct Heartbeat: Codable, Sendable, Equatable {
        var deviceTime: Int64
        var received: Int64
        var battery: Int?
        var rssi: Int?
        var temperatureDeci: Int?
    }

    var kind: DeviceBindings.Kind
    var gateway: String
    var lastEvent: Int64
    var lastReceived: Int64
    var heartbeat: Heartbeat?

    init(_ row: EventRow, receivedAt received: Int64) {
        let sensor = row.kind == .sensorChange || (row.kind == .heartbeat && row.plate == nil && row.occupied != nil)
        kind = sensor ? .sensor : .camera
        gateway = row.gatewayID
        lastEvent = row.deviceTime
        lastReceived = received
    }

    mutating func add(_ row: EventRow, receivedAt received: Int64) {
        lastEvent = max(lastEvent, row.deviceTime)
        lastReceived = max(lastReceived, received)
        gateway = row.gatewayID
        guard row.kind == .heartbeat, heartbeat.map({ $0.deviceTime < row.deviceTime }) ?? true else { return }
        heartbeat = Heartbeat(deviceTime: row.deviceTime, received: row.receivedTime, battery: row.battery, rssi: row.rssi, temperatureDeci: row.temperatureDeci)
    }

    /// This batch's reports followed by a later batch's.
    func merged(with later: DeviceReport) -> DeviceReport {
        var merged = later
        merged.lastEvent = max(lastEvent, later.lastEvent)
        merged.lastReceived = max(lastReceived, later.lastReceived)
        if let heartbeat, heartbeat.deviceTime > (later.heartbeat?.deviceTime ?? .min) { merged.heartbeat = heartbeat }
        return merged
    }
}
