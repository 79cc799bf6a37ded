/// What gateways do to a day's events on the way in, beyond delay and
/// duplicates (which the day simulator already has): firmware that sends event
/// types the contract does not know, and detectors whose event counter starts
/// again after a reboot, reusing ids the server already holds.
public struct GatewayFaults: Sendable {
    /// Share of events followed by one of a type no contract knows.
    public var unknownTypes = 0.002
    /// Share of detectors that reboot once during the day.
    public var reboots = 0.01

    public init() {}

    /// The events as the gateways send them, in the same order: some renumbered from
    /// one after their detector's reboot, some followed by a diagnostic of an unknown type.
    public func apply(to events: [GatewayEvent], seed: UInt64) -> [GatewayEvent] {
        var random = SplitMix64(seed: seed ^ 0x6761_7465_7761_7973)
        let detectors = Set(events.filter { $0.type == "sensor_change" }.map(\.deviceID)).sorted()
        let times = events.map(\.time)
        guard let first = times.min(), let last = times.max() else { return events }
        var rebootAt: [String: Int64] = [:]
        for device in detectors where random.chance(reboots) {
            rebootAt[device] = first + Int64(random.next() % UInt64(max(1, last - first)))
        }
        // After a reboot the counter starts again at 1, in device-time order.
        var renumbered: [String: String] = [:]
        for (device, at) in rebootAt {
            let later = Set(events.filter { $0.deviceID == device && $0.time >= at }.map(\.eventID)).sorted()
            for (number, id) in later.enumerated() {
                renumbered[device + "/" + id] = String(id.dropLast(7)) + String(format: "%07d", number + 1)
            }
        }
        var sent: [GatewayEvent] = []
        for var event in events {
            if let id = renumbered[event.deviceID + "/" + event.eventID] { event.eventID = id }
            sent.append(event)
            guard random.chance(unknownTypes) else { continue }
            var diagnostic = event
            diagnostic.eventID = "diag-" + event.eventID
            diagnostic.type = "magnet_diagnostic"
            diagnostic.occupied = nil
            diagnostic.read = nil
            diagnostic.images = []
            sent.append(diagnostic)
        }
        return sent
    }
}
