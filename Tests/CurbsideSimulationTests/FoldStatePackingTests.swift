import CurbsideCore
import CurbsideSimulation
import CurbsideTestThreads
import Foundation
import Testing

/// Fold state packed and read back is the same state, and folding on from it
/// gives the same sessions, for every state a faulty day's bays pass through;
/// damaged bytes are refused, never trapped on.
@Suite("Fold state: packed and read back", .ownThread)
struct FoldStatePackingTests {
    /// Every bay's state every half hour of a day with the street's failures on, and
    /// a hundred bays' states after each of their events.
    static let states: [(bay: BayCode, checkpoint: SessionFold.Checkpoint, events: [DeviceEvent], neighbours: [DeviceEvent])] = {
        let bays = DaySimulatorTests.bays
        let simulation = DaySimulator(bays: bays, settings: StreetFaultsTests.settings(seed: 9_001)).run()
        let events = StreetFaultsTests.deviceEvents(simulation, bays: bays)
        let byBay = Dictionary(grouping: events, by: \.bay)
        let byCamera = Dictionary(grouping: events.filter(\.isCameraEvent), by: \.deviceID)
        guard let first = events.map(\.deviceTime).min(), let last = events.map(\.deviceTime).max() else { return [] }
        let times = Array(stride(from: first, through: last + 600_000, by: 1_800_000))
        return bays.enumerated().flatMap { index, bay in
            let own = byBay[bay.code] ?? [], neighbours = bay.cameraID.flatMap { byCamera[$0] } ?? []
            let at = index < 100 ? Array(Set(times + own.map { $0.deviceTime + 1 })).sorted() : times
            return SessionFold().fold(own, bay: bay.code, neighbours: neighbours, checkpointsAt: at).checkpoints.map { (bay.code, $0, own, neighbours) }
        }
    }()

    @Test("Every state reads back as it was, and folds on to the same sessions")
    func roundTrip() throws {
        let fold = SessionFold()
        var checked = 0, withOpen = 0, withContest = 0, withNeighbours = 0, packedBytes = 0, jsonBytes = 0
        for (bay, checkpoint, events, neighbours) in Self.states {
            let packed = checkpoint.packed()
            let back = try SessionFold.Checkpoint(packed: packed)
            #expect(back == checkpoint)
            #expect(back.packed() == packed, "the same state packs to the same bytes")
            if checked % 40 == 0 {
                let on = fold.fold(events, bay: bay, neighbours: neighbours, from: back).sessions
                #expect(on == fold.fold(events, bay: bay, neighbours: neighbours, from: checkpoint).sessions)
            }
            checked += 1
            let json = try JSONEncoder().encode(checkpoint)
            packedBytes += packed.count
            jsonBytes += json.count
            if try JSONDecoder().decode(SessionFold.Checkpoint.self, from: json) != back { Issue.record("JSON and packed state differ at \(bay) \(checkpoint.at)") }
            withOpen += back.firstAffectedStart < back.at ? 1 : 0
            withContest += String(decoding: json, as: UTF8.self).contains("\"contest\"") ? 1 : 0
            withNeighbours += String(decoding: json, as: UTF8.self).contains("\"neighbours\":{\"") ? 1 : 0
        }
        #expect(checked > 30_000)
        #expect(packedBytes * 2 < jsonBytes, "packed \(packedBytes) bytes, as JSON \(jsonBytes)")
        // States of every shape were there: a stay under way, a contested plate, neighbours' cars remembered.
        #expect(withOpen > 5_000, "\(withOpen)")
        let synthetic = try contested()
        #expect(withContest > 0 || synthetic, "\(withContest)")
        #expect(withNeighbours > 1_000, "\(withNeighbours)")
    }

    /// A stay whose camera read another plate with no car seen leaving: a state the day may not pass through.
    func contested() throws -> Bool {
        let bay = DaySimulatorTests.bays[0].code
        func read(_ text: String) throws -> PlateRead {
            PlateRead(plate: try Plate(parsing: text), colour: .blue, confidence: 910, images: [String(repeating: "7f", count: 32), "not-a-digest"])
        }
        let events = [
            DeviceEvent(deviceID: "S", eventID: "1", bay: bay, deviceTime: 0, receivedTime: 0, payload: .sensorChange(occupied: true)),
            DeviceEvent(deviceID: "C", eventID: "1", bay: bay, deviceTime: 1_000, receivedTime: 0, payload: .cameraArrival(try read("粤J12345"))),
            DeviceEvent(deviceID: "C", eventID: "2", bay: bay, deviceTime: 600_000, receivedTime: 0, payload: .cameraRead(try read("京A99881"))),
        ]
        let state = try #require(SessionFold().fold(events, bay: bay, checkpointsAt: [600_001]).checkpoints.first)
        #expect(try SessionFold.Checkpoint(packed: state.packed()) == state)
        return String(decoding: try JSONEncoder().encode(state), as: UTF8.self).contains("\"contest\"")
    }

    @Test("Damaged state is refused with an error, whatever is cut or changed")
    func damaged() throws {
        var generator = SystemRandomNumberGenerator()
        let samples = Self.states.filter { $0.checkpoint.firstAffectedStart < $0.checkpoint.at }.prefix(300)
        #expect(samples.count == 300)
        var refused = 0
        for sample in samples {
            let packed = sample.checkpoint.packed()
            for length in [0, 1, packed.count / 2, packed.count - 1] {
                #expect(throws: PackingError.self) { try SessionFold.Checkpoint(packed: Array(packed.prefix(length))) }
            }
            #expect(throws: PackingError.self) { try SessionFold.Checkpoint(packed: packed + [0]) }
            var changed = packed
            changed[Int.random(in: 0..<changed.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            // A changed byte may still read as some other valid state; it must never trap.
            if (try? SessionFold.Checkpoint(packed: changed)) == nil { refused += 1 }
        }
        #expect(refused > 0)
    }
}
