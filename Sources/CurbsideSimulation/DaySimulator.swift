import Crypto
import CurbsideCore
import Foundation

/// Simulates one day of a district's bays: cars arriving and leaving, what the
/// detectors and cameras report of it (with the failure modes of the field
/// mixed in), and the sessions those reports must fold into. The expected
/// sessions are worked out from the true stays and the rule for each failure
/// mode, independently of the fold, so comparing them tests the fold.
public struct DaySimulator: Sendable {
    public struct Settings: Sendable {
        public var day: LocalDate
        public var clock: ZoneClock
        public var seed: UInt64
        /// Seconds between detector heartbeats; under the fold's outage time, so a quiet stay is not an outage.
        public var heartbeatEvery: Int64 = 1800
        /// Adds the street's rarer failures: a shared camera filing the neighbour's plate under
        /// a bay, plates no camera can read, and doubtful look-alike reads of a standing car.
        public var streetFaults = false

        public init(day: LocalDate, clock: ZoneClock, seed: UInt64) {
            self.day = day
            self.clock = clock
            self.seed = seed
        }
    }

    /// What happened to one stay, beyond a plain arrival and departure.
    enum Mode: Equatable {
        case normal
        /// Neither the detector's departure nor the camera's reached the server; the next heartbeat says the bay is free.
        case missedDeparture
        /// The next car arrived within a minute; the detector took the swap for a flap and the camera missed the departure.
        case endedByNextArrival
        /// The camera misread the plate on arrival and a later read corrected it.
        case misread(Plate)
        /// The bay's devices fell silent for hours while the car stood there.
        case outage
        /// The camera saw nothing of this stay.
        case cameraMissed
        /// The detector's changes were lost; the camera saw the stay.
        case sensorMissed
        /// The plate is dirty or bent: the camera reads text that is no plate, every time.
        case unreadable(String)
        /// Mid-stay, the camera read a look-alike of the plate less surely than on arrival.
        case doubtfulRead(Plate)
    }

    struct Stay {
        var arrival: Int64
        var departure: Int64?
        var vehicle: PlatePool.Vehicle
        var mode: Mode = .normal

        /// Whether the detector's own report ended the stay, so the bay is known free after it.
        var detectorSawItLeave: Bool {
            switch mode {
            case .normal, .outage, .cameraMissed, .misread, .unreadable, .doubtfulRead: true
            case .missedDeparture, .endedByNextArrival, .sensorMissed: false
            }
        }
    }

    public let bays: [SimulatedBay]
    public let settings: Settings

    public init(bays: [SimulatedBay], settings: Settings) {
        self.bays = bays
        self.settings = settings
    }

    public func run() -> DaySimulation {
        var random = SplitMix64(seed: settings.seed)
        let pool = PlatePool(count: max(200, bays.count * 3), random: &random)
        let midnight = settings.clock.utc(fromLocal: Int64(settings.day.dayNumber) * 86_400)
        let lateSegment = Set(bays.map(\.segmentID)).sorted().dropFirst().first
        var builder = Builder(settings: settings, midnight: midnight)
        // Each bay of a camera draws its cars from its own part of the town's: one car cannot
        // stand in two bays at once, and the camera's reads of the next bay must not say so.
        let slots = Self.slots(of: bays)
        for bay in bays {
            var bayRandom = SplitMix64(seed: settings.seed ^ bay.code.rawValue.stableHash)
            let cars = slots[bay.code].map { pool.part($0.slot, of: $0.slots) } ?? pool
            simulate(bay, pool: cars, random: &bayRandom, late: bay.segmentID == lateSegment, into: &builder)
        }
        for camera in Set(bays.compactMap(\.cameraID)).sorted() {
            builder.cameraHeartbeats(camera, random: &random)
        }
        if settings.streetFaults {
            builder.misfileNeighbours(random: &random)
        }
        return builder.finish(random: &random)
    }

    /// Each bay's place among the bays of its camera, and the most bays a camera watches.
    static func slots(of bays: [SimulatedBay]) -> [BayCode: (slot: Int, slots: Int)] {
        let groups = Dictionary(grouping: bays.filter { $0.cameraID != nil }, by: { $0.cameraID! })
        let most = groups.values.map(\.count).max() ?? 1
        var slots: [BayCode: (slot: Int, slots: Int)] = [:]
        for members in groups.values {
            for (index, bay) in members.sorted(by: { $0.code.rawValue < $1.code.rawValue }).enumerated() { slots[bay.code] = (index, most) }
        }
        return slots
    }

    private func simulate(_ bay: SimulatedBay, pool: PlatePool, random: inout SplitMix64, late: Bool, into builder: inout Builder) {
        let day = builder.midnight
        let heartbeats: [Int64] = bay.sensorID == nil ? [] : {
            let offset = Int64(random.next() % UInt64(settings.heartbeatEvery))
            return stride(from: day + offset, to: day + 86_400, by: Int(settings.heartbeatEvery)).map { $0 }
        }()
        // Keeps detector changes clear of heartbeats, so a heartbeat never lands inside a debounce.
        func clear(_ t: Int64) -> Int64 {
            guard let h = heartbeats.first(where: { $0 > t - 150 && $0 < t + 200 }) else { return t }
            return h + 150
        }
        let meanGap: Double = [.one: 1_200, .two: 2_400, .three: 4_200][bay.zoneClass]!
        let bothDevices = bay.sensorID != nil && bay.cameraID != nil

        var stays: [Stay] = []
        var t = day + 6 * 3600 + 1800 + Int64(random.exponential(mean: meanGap))
        var swapNext = false
        let latestArrival = day + 22 * 3600 + 1800
        while true {
            let arrival = swapNext ? t : clear(t)
            if arrival > latestArrival { break }
            let roll = random.next() % 100
            let duration: Int64 = roll < 35 ? 300 + Int64(random.next() % 1500)
                : roll < 85 ? 1800 + Int64(random.next() % 9000)
                : 10_800 + Int64(random.next() % 21_600)
            var stay = Stay(arrival: arrival, departure: arrival + duration, vehicle: pool.any(&random))
            if swapNext, let previous = stays.last?.vehicle.plate {
                while stay.vehicle.plate == previous || stay.vehicle.plate.isProbableMisread(of: previous) { stay.vehicle = pool.any(&random) }
            }
            swapNext = false
            if stay.departure! > day + 23 * 3600 {
                if arrival >= day + 17 * 3600 {
                    stay.departure = nil
                    stays.append(stay)
                    break
                }
                stay.departure = max(arrival + 600, day + 23 * 3600 - Int64(random.next() % 1800))
            }
            stay.departure = clear(stay.departure!)
            stays.append(stay)
            if bothDevices, stay.departure! + 60 < latestArrival, random.chance(0.03) {
                stays[stays.count - 1].mode = .endedByNextArrival
                swapNext = true
                t = stay.departure! + 20 + Int64(random.next() % 21)
            } else {
                t = stay.departure! + 180 + Int64(random.exponential(mean: meanGap))
            }
        }

        for index in stays.indices where stays[index].mode == .normal {
            let stay = stays[index]
            let roll = random.next() % 1000
            let next = stays.indices.contains(index + 1) ? stays[index + 1].arrival : Int64.max
            let previousSwapped = index > 0 && stays[index - 1].mode == .endedByNextArrival
            if let departure = stay.departure, bay.sensorID != nil, roll < 30, !previousSwapped,
               let revealing = heartbeats.first(where: { $0 > departure }), revealing + 120 < next {
                stays[index].mode = .missedDeparture
            } else if bay.cameraID != nil, roll >= 30, roll < 70, !previousSwapped, (stay.departure ?? .max) - stay.arrival >= 1500,
                      let misread = PlatePool.misread(stay.vehicle.plate, &random) {
                stays[index].mode = .misread(misread)
            } else if let departure = stay.departure, departure - stay.arrival >= 4 * 3600, roll >= 70, roll < 400 {
                stays[index].mode = .outage
            } else if bothDevices, roll >= 400, roll < 430, !previousSwapped {
                stays[index].mode = .cameraMissed
            } else if bothDevices, roll >= 430, roll < 450, !previousSwapped {
                stays[index].mode = .sensorMissed
            } else if settings.streetFaults, bay.cameraID != nil, roll >= 450, roll < 455, !previousSwapped {
                let text = PlatePool.unreadable(stay.vehicle.plate, &random)
                if Plate.reading(text)?.kind == .unrecognised { stays[index].mode = .unreadable(text) }
            } else if settings.streetFaults, bothDevices, roll >= 455, roll < 475, (stay.departure ?? .max) - stay.arrival >= 1500,
                      let doubtful = PlatePool.misread(stay.vehicle.plate, &random) {
                stays[index].mode = .doubtfulRead(doubtful)
            }
        }

        builder.emit(bay, stays: stays, heartbeats: heartbeats, late: late, random: &random, clear: clear)
    }
}

extension String {
    /// A hash that is the same in every process (Swift's hashValue is seeded per run).
    var stableHash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}

/// The image digests of a simulated camera event: SHA-256 of a name, since the pictures themselves are not simulated.
func simulatedDigest(_ device: String, _ event: String, _ index: Int) -> String {
    SHA256.hash(data: Data("curbside-simulated-image|\(device)|\(event)|\(index)".utf8)).map { String(format: "%02x", $0) }.joined()
}
