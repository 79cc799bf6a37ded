import CurbsideCore

/// One device's reports in a batch, as its health record takes them.
struct DeviceReport: Codable, Sendable, Equatable {
    struct Heartbeat: Codable, Sendable, Equatable {
        var deviceTime: Int64
        var battery: Int?
        var rssi: Int?
        var temperatureDeci: Int?
    }

    /// What one or more batches say of the device's clock. Delivery only ever
    /// delays a report, so device time minus receive time is at most the
    /// clock's true offset, and the largest is the closest to it. A report more
    /// than `promptWindow` behind is backlog, unless its gateway sent other
    /// reports promptly in the same batch: then it is evidence the clock is behind.
    struct ClockSample: Codable, Sendable, Equatable {
        /// Gateways hold reports at most this long before sending them live.
        static let promptWindow: Int64 = Milliseconds.minute

        /// The largest device time minus receive time among the counted reports.
        var best: Int64?
        /// Reports that came within the prompt window.
        var prompt = 0
        /// Reports that came later, in batches their gateway sent live.
        var late = 0

        mutating func add(offset: Int64, gatewayLive: Bool) {
            if offset >= -Self.promptWindow {
                prompt += 1
            } else if gatewayLive {
                late += 1
            } else {
                return
            }
            best = max(best ?? offset, offset)
        }

        func merged(with other: ClockSample) -> ClockSample {
            let bests = [best, other.best].compactMap { $0 }
            return ClockSample(best: bests.max(), prompt: prompt + other.prompt, late: late + other.late)
        }
    }

    var kind: DeviceBindings.Kind
    var gateway: String
    var lastEvent: Int64
    var lastReceived: Int64
    var heartbeat: Heartbeat?
    /// Absent from work queued before clocks were judged this way.
    var clock: ClockSample?

    init(_ row: EventRow, receivedAt received: Int64) {
        let sensor = row.kind == .sensorChange || (row.kind == .heartbeat && row.plate == nil && row.occupied != nil)
        kind = sensor ? .sensor : .camera
        gateway = row.gatewayID
        lastEvent = row.deviceTime
        lastReceived = received
    }

    mutating func add(_ row: EventRow, receivedAt received: Int64, gatewayLive: Bool) {
        lastEvent = max(lastEvent, row.deviceTime)
        lastReceived = max(lastReceived, received)
        gateway = row.gatewayID
        var sample = clock ?? ClockSample()
        sample.add(offset: row.deviceTime - row.receivedTime, gatewayLive: gatewayLive)
        clock = sample
        guard row.kind == .heartbeat, heartbeat.map({ $0.deviceTime < row.deviceTime }) ?? true else { return }
        heartbeat = Heartbeat(deviceTime: row.deviceTime, battery: row.battery, rssi: row.rssi, temperatureDeci: row.temperatureDeci)
    }

    /// This batch's reports followed by a later batch's.
    func merged(with later: DeviceReport) -> DeviceReport {
        var merged = later
        merged.lastEvent = max(lastEvent, later.lastEvent)
        merged.lastReceived = max(lastReceived, later.lastReceived)
        if let heartbeat, heartbeat.deviceTime > (later.heartbeat?.deviceTime ?? .min) { merged.heartbeat = heartbeat }
        if let clock { merged.clock = later.clock.map { clock.merged(with: $0) } ?? clock }
        return merged
    }
}
