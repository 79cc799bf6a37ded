import CurbsideCore
@testable import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// On PostgreSQL a fusion round locks each bay it folds, and PostgreSQL's lock
/// table is small (6,400 locks by default, shared by every transaction): a
/// round takes a bounded number of bays, and a registry change holds rounds off
/// with one lock however many bays it moves.
@Suite("Fusion within PostgreSQL's lock table", .enabled(if: TestPostgres.isAvailable || TestPostgres.isRequired, Comment(rawValue: TestPostgres.skipReason)), .ownThread)
struct FusionLockTests {
    static let start: Int64 = 1_795_000_000_000

    /// A car arriving and leaving in each of `count` registered bays, stored and queued for fusion; the bay with
    /// the earliest code gets the latest car. Returns the bays, those whose events came first first.
    static func queueStays(in count: Int, _ test: TestStore) async throws -> [String] {
        let sql = test.database.sql
        struct Bay: Decodable { var code: String; var zone_id: String }
        let bays = try await sql.raw("SELECT code, zone_id FROM bays ORDER BY code LIMIT \(bind: count)").all(decoding: Bay.self)
        #expect(bays.count == count)
        var rows: [EventRow] = []
        for (index, bay) in bays.enumerated() {
            let code = try BayCode(parsing: bay.code)
            let arrival = Self.start + Int64(count - index) * 60_000
            for (id, (at, occupied)) in [(arrival, true), (arrival + 3_600_000, false)].enumerated() {
                rows.append(EventRow(
                    deviceID: "S-\(bay.code)", eventID: "\(id)", gatewayID: "GW1", bay: code, zoneID: bay.zone_id, kind: .sensorChange,
                    deviceTime: at, receivedTime: at + 2_000, occupied: occupied, battery: nil, rssi: nil, temperatureDeci: nil,
                    plate: nil, plateColour: nil, plateConfidence: nil, images: []
                ))
            }
        }
        _ = try await Ingestion(store: test.store, database: test.database).ingest(rows, at: Self.start + 300 * 60_000)
        return bays.map(\.code).reversed()
    }

    static func baysWithSessions(on sql: any SQLDatabase) async throws -> Set<String> {
        struct Row: Decodable { var bay_code: String }
        return Set(try await sql.raw("SELECT DISTINCT bay_code FROM parking_sessions").all(decoding: Row.self).map(\.bay_code))
    }

    @Test("A backlog of more bays than a round may lock folds over several rounds, those waiting longest first")
    func boundedRounds() async throws {
        try await TestStores.with(.postgres) { test in
            let sql = test.database.sql
            let oldestFirst = try await Self.queueStays(in: 120, test)
            var processor = FusionProcessor(store: test.store, database: test.database)
            processor.baysPerRound = 50

            let first = try await processor.runOnce(now: Self.start + 301 * 60_000)
            #expect(first.bays == 50 && first.deferred == 70)
            #expect(try await Self.baysWithSessions(on: sql) == Set(oldestFirst.prefix(50)))
            var rounds = [first]
            while rounds.count < 10 {
                let round = try await processor.runOnce(now: Self.start + 302 * 60_000)
                guard round.batches > 0 else { break }
                rounds.append(round)
            }
            #expect(rounds.map(\.bays) == [50, 50, 20])
            #expect(rounds.map(\.deferred) == [70, 20, 0])
            #expect(try await Self.baysWithSessions(on: sql) == Set(oldestFirst))
        }
    }

    @Test("While a registry change moves stays, rounds put their work back; after it commits they fold it")
    func heldOffByRegistry() async throws {
        try await TestStores.with(.postgres) { test in
            let sql = test.database.sql
            let oldestFirst = try await Self.queueStays(in: 10, test)
            let processor = FusionProcessor(store: test.store, database: test.database)

            let (locked, lockedSignal) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
            let change = Task {
                try await test.store.write(on: test.database) { db in
                    try await FoldLock.exclude(on: db.sql)
                    lockedSignal.yield()
                    for await _ in release { break }
                }
            }
            for await _ in locked { break }
            let held = try await processor.runOnce(now: Self.start + 301 * 60_000)
            #expect(held.batches == 1 && held.bays == 0 && held.deferred == 10)
            #expect(try await Self.baysWithSessions(on: sql).isEmpty)

            releaseSignal.yield()
            try await change.value
            let after = try await processor.runOnce(now: Self.start + 302 * 60_000)
            #expect(after.bays == 10 && after.deferred == 0)
            #expect(try await Self.baysWithSessions(on: sql) == Set(oldestFirst))
        }
    }
}
