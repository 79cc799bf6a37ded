import CurbsideCore
import Foundation

extension DaySimulator {
    /// Collects the events and expected sessions of every bay, then numbers the
    /// events per device and decides when the server receives each.
    struct Builder {
        struct Pending {
            var event: GatewayEvent
            var imageCount: Int
            /// Detector events held back by a gateway outage.
            var late: Bool
        }

        struct PendingSession {
            var session: ExpectedSession
            /// The events whose images are the session's evidence.
            var evidence: [Int]
        }

        let settings: Settings
        let midnight: Int64
        var events: [Pending] = []
        var sessions: [PendingSession] = []
        var positions: [String: GeoPoint] = [:]
        var cameras = Set<String>()
        /// Cars the camera of their bay has read, and from when to when a misfiled read of them may come.
        var seen: [(camera: String, bay: String, read: GatewayEvent.Read, from: Int64, until: Int64)] = []
        /// The bays of each camera.
        var watched: [String: Set<String>] = [:]

        init(settings: Settings, midnight: Int64) {
            self.settings = settings
            self.midnight = midnight
        }

        mutating func add(_ device: String, bay: String?, at time: Int64, type: String, occupied: Bool? = nil, read: GatewayEvent.Read? = nil,
                          images: Int = 0, late: Bool = false) -> Int {
            let event = GatewayEvent(deviceID: device, eventID: "", bay: bay, time: time, received: time, type: type, occupied: occupied, read: read)
            events.append(Pending(event: event, imageCount: images, late: late))
            return events.count - 1
        }

        mutating func cameraHeartbeats(_ camera: String, random: inout SplitMix64) {
            cameras.insert(camera)
            let offset = Int64(random.next() % 3600)
            for time in stride(from: midnight + offset, to: midnight + 86_400, by: 3600) {
                let index = add(camera, bay: nil, at: time, type: "heartbeat")
                events[index].event.rssi = -60 - Int(random.next() % 20)
                events[index].event.temperature = 200 + Int(random.next() % 150)
            }
        }

        /// A shared camera files a standing car's plate under a neighbouring bay now and then
        /// (one stay in twenty): the fold must leave that bay as it is.
        mutating func misfileNeighbours(random: inout SplitMix64) {
            for car in seen where car.until - car.from >= 300 && random.chance(0.05) {
                let others = (watched[car.camera] ?? []).subtracting([car.bay]).sorted()
                guard !others.isEmpty else { continue }
                let bay = others[Int(random.next() % UInt64(others.count))]
                let time = car.from + Int64(random.next() % UInt64(car.until - car.from))
                _ = add(car.camera, bay: bay, at: time, type: "camera_read", read: car.read)
            }
        }

        /// The events of one bay's stays and the sessions they must give.
        mutating func emit(_ bay: SimulatedBay, stays: [Stay], heartbeats: [Int64], late: Bool, random: inout SplitMix64, clear: (Int64) -> Int64) {
            let code = bay.code.rawValue
            positions[code] = bay.position
            if let camera = bay.cameraID {
                cameras.insert(camera)
                watched[camera, default: []].insert(code)
            }
            let lateWindow = (midnight + 10 * 3600)..<(midnight + 13 * 3600)
            var silent: [Range<Int64>] = []
            var cameraArrivals: [Int64?] = []

            func sensor(_ time: Int64, occupied: Bool) {
                guard let id = bay.sensorID else { return }
                _ = add(id, bay: nil, at: time, type: "sensor_change", occupied: occupied, late: late && lateWindow.contains(time))
            }
            func read(_ plate: Plate, _ colour: String, low: Int, high: Int) -> GatewayEvent.Read {
                GatewayEvent.Read(plate: plate.text, colour: colour, confidence: low + Int(random.next() % UInt64(high - low + 1)))
            }

            for (index, stay) in stays.enumerated() {
                let arrival = stay.arrival
                let plate = stay.vehicle.plate, colour = stay.vehicle.colour
                var expected = ExpectedSession(bay: code, start: arrival, end: stay.departure, plate: nil, quality: .sensorOnly, flags: [], evidence: [])
                expected.colour = colour
                expected.truePlate = plate.text
                // What the camera can make of the plate: a dirty one reads as the same text that is no plate.
                var shown: (text: String, low: Int, high: Int)?
                if case let .unreadable(text) = stay.mode { shown = (text, 30, 60) }
                var evidence: [Int] = []
                let sensorSees = bay.sensorID != nil && stay.mode != .sensorMissed
                let cameraSees = bay.cameraID != nil && stay.mode != .cameraMissed
                let cameraTimesItself = !sensorSees
                if sensorSees { sensor(arrival, occupied: true) }
                var cameraArrival: Int64?
                if cameraSees, let camera = bay.cameraID {
                    let time = cameraTimesItself ? arrival : arrival + 8 + Int64(random.next() % 13)
                    let firstRead: GatewayEvent.Read
                    if case let .misread(wrong) = stay.mode {
                        firstRead = read(wrong, colour, low: 55, high: 70)
                    } else if let shown {
                        firstRead = GatewayEvent.Read(plate: shown.text, colour: colour, confidence: shown.low + Int(random.next() % UInt64(shown.high - shown.low + 1)))
                    } else {
                        firstRead = read(plate, colour, low: 86, high: 99)
                    }
                    evidence.append(add(camera, bay: code, at: time, type: "camera_arrival", read: firstRead, images: 2))
                    cameraArrival = time
                    expected.quality = .videoConfirmed
                    expected.plate = plate.text
                    if let shown {
                        expected.plate = Plate.reading(shown.text)?.text
                        expected.flags.insert(.plateUnrecognised)
                    } else if settings.streetFaults {
                        let corrected: Int64 = if case .misread = stay.mode { 960 } else { 60 }
                        seen.append((camera, code, read(plate, colour, low: 85, high: 99), time + corrected, (stay.departure ?? midnight + 86_400) - 120))
                    }
                    if cameraTimesItself { expected.start = time }
                }
                cameraArrivals.append(cameraArrival)
                if index > 0, stays[index - 1].mode == .endedByNextArrival, let time = cameraArrival {
                    expected.start = time
                    sessions[sessions.count - 1].session.end = time
                }
                let leaves = stay.departure ?? midnight + 86_400
                if stay.mode == .outage {
                    silent.append((arrival + 1200)..<(arrival + 1200 + 9000))
                    expected.flags.insert(.outage)
                }
                if case .misread = stay.mode, let camera = bay.cameraID {
                    let time = arrival + 600 + Int64(random.next() % 300)
                    _ = add(camera, bay: code, at: time, type: "camera_read", read: read(plate, colour, low: 90, high: 99))
                    expected.flags.insert(.plateCorrected)
                }
                if case let .doubtfulRead(lookAlike) = stay.mode, let camera = bay.cameraID {
                    _ = add(camera, bay: code, at: arrival + (leaves - arrival) / 2, type: "camera_read", read: read(lookAlike, colour, low: 50, high: 70))
                }
                if bay.sensorID == nil, let camera = bay.cameraID, cameraSees {
                    // A camera alone re-reads a standing car, so a quiet stay is not taken for an outage.
                    for time in stride(from: arrival + 1800, to: leaves - 120, by: 1800) where !silent.contains(where: { $0.contains(time) }) {
                        let again = shown.map { GatewayEvent.Read(plate: $0.text, colour: colour, confidence: $0.low) } ?? read(plate, colour, low: 80, high: 99)
                        _ = add(camera, bay: code, at: time, type: "camera_read", read: again)
                    }
                }
                if let departure = stay.departure {
                    switch stay.mode {
                    case .missedDeparture:
                        let reports = heartbeats.filter { time in time > arrival && time < departure && !silent.contains { $0.contains(time) } }
                        expected.end = reports.last ?? arrival
                        expected.flags.insert(.endEstimated)
                    case .endedByNextArrival:
                        sensor(departure, occupied: false)
                        expected.flags.formUnion([.endEstimated, .endedByNextArrival])
                    default:
                        if sensorSees { sensor(departure, occupied: false) }
                        if cameraSees, let camera = bay.cameraID {
                            let time = cameraTimesItself ? departure : departure + 3 + Int64(random.next() % 8)
                            let last = shown.map { GatewayEvent.Read(plate: $0.text, colour: colour, confidence: $0.high) } ?? read(plate, colour, low: 86, high: 99)
                            evidence.append(add(camera, bay: code, at: time, type: "camera_departure", read: last, images: 2))
                            if cameraTimesItself { expected.end = time }
                        }
                    }
                }
                sessions.append(PendingSession(session: expected, evidence: evidence))
            }

            // Passing traffic over free detectors, in gaps after stays the detector tracked to the end.
            if bay.sensorID != nil {
                var gaps: [(from: Int64, until: Int64)] = []
                var from: Int64? = midnight + 7 * 3600
                for stay in stays {
                    if let from { gaps.append((from, stay.arrival)) }
                    from = stay.departure.flatMap { stay.detectorSawItLeave ? $0 : nil }
                }
                if let from { gaps.append((from, midnight + 23 * 3600 + 1800)) }
                for gap in gaps where gap.until - gap.from >= 1200 && random.chance(0.15) {
                    let flap = clear(gap.from + 300 + Int64(random.next() % UInt64(gap.until - gap.from - 900)))
                    guard flap + 60 < gap.until - 300 else { continue }
                    sensor(flap, occupied: true)
                    sensor(flap + 10 + Int64(random.next() % 30), occupied: false)
                }
            }

            if let sensorID = bay.sensorID {
                let baseBattery = random.chance(0.03) ? 8 + Int(random.next() % 8) : 55 + Int(random.next() % 44)
                for time in heartbeats where !silent.contains(where: { $0.contains(time) }) {
                    let occupied = stays.contains { $0.arrival <= time && time < ($0.departure ?? .max) }
                    let index = add(sensorID, bay: nil, at: time, type: "heartbeat", occupied: occupied, late: late && lateWindow.contains(time))
                    events[index].event.battery = baseBattery
                    events[index].event.rssi = -70 - Int(random.next() % 26)
                    let hour = Double((time - midnight) / 3600)
                    events[index].event.temperature = 150 + Int(60 * sin((hour - 9) / 24 * 2 * .pi)) + Int(random.next() % 10)
                }
            }
        }
    }
}
