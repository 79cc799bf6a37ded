@testable import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import SQLKit
import Testing

/// Only camera events are indexed by device and time (migration 0037): the
/// fold's look at a shared camera's reads must still find that index.
@Suite("Camera reads index", .ownThread)
struct CameraReadsIndexTests {
    @Test("The fold's read of cameras' events goes through the camera events' index", arguments: StoreKind.testCases)
    func plan(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            let query = NeighbourReads.query(["HV-1001-A": 1_000, "HV-1001-B": 2_000], through: 10_000)
            let plan = try await test.plan(of: query, avoidingScans: true)
            // On PostgreSQL each month's partition has its own copy of the index, named by the database.
            struct Name: Decodable { var relname: String }
            let names = kind == .postgres ? try await test.database.sql.raw("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                WHERE p.relname = 'device_events_camera_time_idx'
                """).all(decoding: Name.self).map(\.relname) : ["device_events_camera_time_idx"]
            #expect(!names.isEmpty && names.contains { plan.contains($0 + " ") }, "\(plan)")
        }
    }
}
