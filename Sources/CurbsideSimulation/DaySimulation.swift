import CurbsideCore
import Foundation

/// A simulated day: the events in the order the server receives them, and
/// the sessions they must fold into.
public struct DaySimulation: Sendable {
    public var events: [GatewayEvent]
    public var sessions: [ExpectedSession]

    /// One event per line, in receiving order.
    public func eventLines(in clock: ZoneClock) -> String {
        events.map { $0.json(in: clock) + "\n" }.joined()
    }

    /// One session per line, by bay and start.
    public func sessionLines(in clock: ZoneClock) -> String {
        sessions.map { $0.json(in: clock) + "\n" }.joined()
    }
}

extension DaySimulator.Builder {
    /// Numbers each device's events in its own time order, adds the images,
    /// and orders everything by when the server receives it: a few seconds
    /// after the device time, hours later for a gateway that was offline, and
    /// some events twice.
    mutating func finish(random: inout SplitMix64) -> DaySimulation {
        let byDevice = Dictionary(grouping: events.indices, by: { events[$0].event.deviceID })
        for (device, indices) in byDevice {
            let ordered = indices.sorted { (events[$0].event.time, $0) < (events[$1].event.time, $1) }
            for (number, index) in ordered.enumerated() {
                events[index].event.eventID = String(format: "%07d", number + 1)
                let event = events[index].event
                events[index].event.images = (0..<events[index].imageCount).map { n in
                    GatewayEvent.Image(
                        sha256: simulatedDigest(device, event.eventID, n), capturedAt: event.time, deviceID: device,
                        position: positions[event.bay ?? ""] ?? GeoPoint(latitude: 0, longitude: 0)
                    )
                }
            }
        }
        let backOnline = midnight + 13 * 3600 + 300
        var sent: [GatewayEvent] = []
        for pending in events {
            var event = pending.event
            let latency: Int64 = cameras.contains(event.deviceID) ? 2 : 1
            event.received = pending.late ? backOnline + (event.time - midnight - 10 * 3600) / 60 : event.time + latency + Int64(random.next() % 4)
            sent.append(event)
            if random.chance(0.015) {
                var again = event
                again.received += 30 + Int64(random.next() % 270)
                sent.append(again)
            }
        }
        sent.sort { ($0.received, $0.deviceID, $0.eventID) < ($1.received, $1.deviceID, $1.eventID) }
        let expected = sessions.map { pending in
            var session = pending.session
            session.evidence = pending.evidence.flatMap { events[$0].event.images.map(\.sha256) }
            return session
        }
        .sorted { ($0.bay, $0.start) < ($1.bay, $1.start) }
        return DaySimulation(events: sent, sessions: expected)
    }
}
