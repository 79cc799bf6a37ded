import CurbsideCore
@testable import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Queued work and fold state are packed; what was queued or saved as JSON by
/// the version before reads on, so an upgrade refolds nothing and loses nothing.
@Suite("Queued work and fold state across an upgrade", .ownThread)
struct QueuedStateTests {
    static let start: Int64 = 1_795_000_000_000
    static let plate = try! Plate(parsing: "粤J12345")
    static let image = EvidenceImageRef(sha256: String(repeating: "ab", count: 32), capturedMs: start, deviceID: "CAM1", longitude: 112.97, latitude: 22.76)

    static func row(_ device: String, _ id: Int, bay: BayCode, zone: String, _ kind: EventKind, at minutes: Int64, occupied: Bool? = nil,
                    plate: Plate? = nil, battery: Int? = nil) -> EventRow {
        EventRow(
            deviceID: device, eventID: "\(id)", gatewayID: "GW1", bay: bay, zoneID: zone, kind: kind, deviceTime: start + minutes * 60_000,
            receivedTime: start + minutes * 60_000 + 2_000, occupied: occupied, battery: battery, rssi: battery.map { _ in -71 },
            temperatureDeci: battery.map { _ in 215 }, plate: plate, plateColour: plate.map { _ in .blue }, plateConfidence: plate.map { _ in 930 },
            images: plate.map { _ in [image] } ?? []
        )
    }

    @Test("Queued work reads back as it was, packed or as JSON")
    func work() throws {
        let bay = try BayCode(parsing: "10010019")
        let rows = [
            Self.row("S1", 1, bay: bay, zone: "Z1", .sensorChange, at: 0, occupied: true),
            Self.row("S1", 2, bay: bay, zone: "Z1", .heartbeat, at: 5, occupied: true, battery: 87),
            Self.row("CAM1", 3, bay: bay, zone: "Z1", .cameraArrival, at: 1, plate: Self.plate),
            Self.row("CAM1", 4, bay: bay, zone: "Z1", .heartbeat, at: -90),
        ]
        let work = IngestWork(rows, lastEvent: 4_000_000_123, receivedAt: Self.start + 60_000)
        #expect(work.cameras == ["CAM1": Self.start + 60_000] && work.devices.count == 2 && work.devices["S1"]?.heartbeat?.battery == 87)
        #expect(try IngestWork(text: work.text) == work)
        #expect(!work.text.hasPrefix("{"))
        let json = String(decoding: try JSONEncoder().encode(work), as: UTF8.self)
        #expect(try IngestWork(text: json) == work)
        #expect(try IngestWork(text: IngestWork().text) == IngestWork())
        #expect(throws: (any Error).self) { try IngestWork(text: String(work.text.dropLast(8))) }
    }

    @Test("A bay whose tail, checkpoints and queue were saved as JSON folds on to what a fold from the start gives", arguments: StoreKind.testCases)
    func upgrade(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let sql = test.database.sql
            struct Bay: Decodable { var code: String; var zone_id: String }
            let registered = try #require(try await sql.raw("SELECT code, zone_id FROM bays ORDER BY code LIMIT 1").first(decoding: Bay.self))
            let bay = try BayCode(parsing: registered.code), zone = registered.zone_id
            let other = try Plate(parsing: "粤JK3190")
            let first = [
                Self.row("S9", 1, bay: bay, zone: zone, .sensorChange, at: 0, occupied: true),
                Self.row("C9", 1, bay: bay, zone: zone, .cameraArrival, at: 0, plate: Self.plate),
                Self.row("C9", 2, bay: bay, zone: zone, .cameraRead, at: 40, plate: Self.plate),
                Self.row("S9", 2, bay: bay, zone: zone, .sensorChange, at: 180, occupied: false),
                Self.row("C9", 3, bay: bay, zone: zone, .cameraDeparture, at: 180, plate: Self.plate),
                Self.row("S9", 3, bay: bay, zone: zone, .sensorChange, at: 240, occupied: true),
                Self.row("C9", 4, bay: bay, zone: zone, .cameraArrival, at: 240, plate: other),
            ]
            let processor = FusionProcessor(store: test.store, database: test.database)
            _ = try await Ingestion(store: test.store, database: test.database).ingest(first, at: Self.start + 241 * 60_000)
            #expect(try await processor.runOnce(now: Self.start + 242 * 60_000).bays == 1)

            // As the version before saved them.
            struct State: Decodable { var at_ms: Int64; var state: String }
            let encoder = JSONEncoder()
            for table in ["fold_tails", "fold_checkpoints"] {
                let states = try await sql.raw("SELECT at_ms, state FROM \(unsafeRaw: table) WHERE bay_code = \(bind: bay.rawValue)").all(decoding: State.self)
                #expect(!states.isEmpty && states.allSatisfy { !$0.state.hasPrefix("{") }, "\(table) packed")
                for state in states {
                    let json = String(decoding: try encoder.encode(try FoldState.checkpoint(state.state)), as: UTF8.self)
                    try await sql.raw("UPDATE \(unsafeRaw: table) SET state = \(bind: json) WHERE bay_code = \(bind: bay.rawValue) AND at_ms = \(bind: state.at_ms)").run()
                }
            }
            let second = [
                // Late: behind the tail, so the refold starts from a spaced checkpoint saved as JSON.
                Self.row("S9", 4, bay: bay, zone: zone, .heartbeat, at: 100, occupied: true, battery: 80),
                Self.row("S9", 5, bay: bay, zone: zone, .sensorChange, at: 300, occupied: false),
                Self.row("C9", 5, bay: bay, zone: zone, .cameraDeparture, at: 300, plate: other),
            ]
            _ = try await Ingestion(store: test.store, database: test.database).ingest(second, at: Self.start + 301 * 60_000)
            struct Queued: Decodable { var id: Int64; var work: String }
            for queued in try await sql.raw("SELECT id, work FROM ingest_queue").all(decoding: Queued.self) {
                let json = String(decoding: try encoder.encode(try IngestWork(text: queued.work)), as: UTF8.self)
                try await sql.raw("UPDATE ingest_queue SET work = \(bind: json) WHERE id = \(bind: queued.id)").run()
            }
            #expect(try await processor.runOnce(now: Self.start + 302 * 60_000).bays == 1)

            struct Stored: Decodable, Equatable { var start_ms: Int64; var end_ms: Int64?; var plate: String? }
            let stored = try await sql.raw("""
                SELECT start_ms, end_ms, plate FROM parking_sessions WHERE bay_code = \(bind: bay.rawValue) AND status <> 'void' ORDER BY start_ms
                """).all(decoding: Stored.self)
            let expected = SessionFold().fold((first + second).compactMap(\.deviceEvent), bay: bay).sessions.map {
                Stored(start_ms: $0.start, end_ms: $0.end, plate: $0.plate?.plate.text)
            }
            #expect(expected.count == 2 && expected.allSatisfy { $0.end_ms != nil })
            #expect(stored == expected)
            let tail = try #require(try await sql.raw("SELECT at_ms, state FROM fold_tails WHERE bay_code = \(bind: bay.rawValue)").first(decoding: State.self))
            #expect(!tail.state.hasPrefix("{"), "the new tail is packed")
        }
    }
}
