import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import Foundation

/// The simulated days and what each stay should be billed.
struct AccuracyWorld {
    let bays: [SimulatedBay]
    let clock: ZoneClock
    var events: [GatewayEvent] = []
    var expected: [ExpectedSession] = []
    /// Bays with a detector, where a stranger billed is the goal's concern.
    let detectorBays: Set<String>
    let engines: [String: (engine: TariffEngine, zoneClass: ZoneClass)]

    init(stores: BenchStores.Options, days: Int) throws {
        let (document, _) = RegistryGeoJSON.read(try Data(contentsOf: URL(fileURLWithPath: stores.zones)), cityTimeZone: CitySettings.defaultTimeZone.identifier)
        bays = try stores.simulated()
        clock = CitySettings.defaultTimeZone
        detectorBays = Set(bays.filter { $0.sensorID != nil }.map(\.code.rawValue))
        let zoneOfSegment = Dictionary(uniqueKeysWithValues: document.segments.map { ($0.spec.id, $0.spec.zoneID) })
        let zones = Dictionary(uniqueKeysWithValues: document.zones.map { ($0.spec.id, $0.spec) })
        var byTariff: [String: TariffEngine] = [:]
        var engines: [String: (engine: TariffEngine, zoneClass: ZoneClass)] = [:]
        for bay in bays {
            guard let zoneID = zoneOfSegment[bay.segmentID], let zone = zones[zoneID] else { continue }
            if byTariff[zone.tariffID] == nil { byTariff[zone.tariffID] = try TariffFiles.engine(forFile: "Tariffs/\(zone.tariffID).yaml") }
            engines[bay.code.rawValue] = (byTariff[zone.tariffID]!, zone.zoneClass)
        }
        self.engines = engines
        let today = clock.localDay(Date().seconds)
        for offset in (1...max(1, days)).reversed() {
            let day = LocalDate(dayNumber: today - offset - 1)
            var settings = DaySimulator.Settings(day: day, clock: clock, seed: UInt64(day.dayNumber))
            settings.streetFaults = true
            let simulation = DaySimulator(bays: bays, settings: settings).run()
            events += GatewayFaults().apply(to: simulation.events, seed: settings.seed).map { event in
                var event = event
                event.eventID = "\(day)-\(event.eventID)"
                return event
            }
            expected += simulation.sessions
        }
    }

    /// What a stay should cost: nil when the devices cannot tell the plate or the stay (patrol's to settle).
    func charge(of stay: ExpectedSession) -> Int64? {
        guard let end = stay.end, let text = stay.plate, !stay.flags.contains(.outage), !stay.flags.contains(.plateUnrecognised),
              let plate = try? Plate(parsing: text), let priced = engines[stay.bay] else { return nil }
        let vehicle = VehicleClass.of(plate, colour: PlateColour(rawValue: stay.colour ?? "") ?? .unknown)
        let quote = try? priced.engine.quote(zoneClass: priced.zoneClass, vehicle: vehicle == .exempt ? .small : vehicle, from: stay.start, to: end)
        return quote.map { Int64($0.amountFen) }
    }

    /// Each stay with an end against the bills at its bay that overlap it most.
    func score(_ bills: [AccuracyBills.Bill]) -> AccuracyTally {
        var tally = AccuracyTally()
        let stays = Dictionary(grouping: expected.indices, by: { expected[$0].bay })
        var billsOf: [Int: [AccuracyBills.Bill]] = [:]
        for bill in bills {
            // Of the stays it overlaps, the one starting nearest it (a stay left open at the end of its day overlaps all after it).
            let overlapping = (stays[bill.bay] ?? []).map { index -> (Int, Int64, Int64) in
                let stay = expected[index]
                return (index, min(bill.end, stay.end ?? .max) - max(bill.start, stay.start), abs(bill.start - stay.start))
            }.filter { $0.1 > 0 }
            guard let best = overlapping.min(by: { ($0.2, -$0.1) < ($1.2, -$1.1) }) else {
                tally.strangers += 1
                if detectorBays.contains(bill.bay) { tally.strangersOnDetectorBays += 1 }
                continue
            }
            billsOf[best.0, default: []].append(bill)
        }
        for (index, stay) in expected.enumerated() {
            let billed = billsOf[index] ?? []
            guard stay.end != nil else {
                // Left open at the end of its simulated day, the stay ends by the next day's reports: not scored.
                tally.unscored += billed.count
                continue
            }
            let strangers = billed.filter { $0.plate != stay.truePlate }
            tally.strangers += strangers.count
            if detectorBays.contains(stay.bay) { tally.strangersOnDetectorBays += strangers.count }
            let own = billed.filter { $0.plate == stay.truePlate }
            func wrong(_ what: String, _ charge: Int64?) {
                tally.examples.append("\(what): \(stay.bay) \(stay.start)-\(stay.end!) \(stay.truePlate ?? "-") read \(stay.plate ?? "-") "
                    + "[\(stay.flags.names.joined(separator: ","))] \(charge.map { "\($0) fen" } ?? "held"); bills: "
                    + billed.map { "\($0.plate) \($0.start)-\($0.end) \($0.charge) fen" }.joined(separator: ", "))
            }
            let owed = charge(of: stay)
            if !strangers.isEmpty { wrong("stranger billed", owed) }
            guard let charge = owed else {
                tally.held += 1
                if !own.isEmpty {
                    tally.billedThoughHeld += 1
                    wrong("billed though held", nil)
                }
                continue
            }
            if charge == 0 {
                tally.free += 1
                if !own.isEmpty {
                    tally.wrongAmount += 1
                    wrong("wrong amount", charge)
                }
                continue
            }
            tally.billable += 1
            switch own.count {
            case 0:
                tally.lost += 1
                wrong("lost", charge)
            case 1 where own[0].charge == charge:
                tally.right += 1
            case 1:
                tally.wrongAmount += 1
                wrong("wrong amount", charge)
            default:
                tally.billedTwice += 1
                wrong("billed twice", charge)
            }
        }
        tally.bills = bills.count
        return tally
    }
}
