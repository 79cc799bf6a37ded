import CurbsideCore
import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import Foundation
import Logging
import SQLKit
import Testing

/// Migration 0035 on a PostgreSQL store that already has events: they move
/// into months of their device time, ids going on from where they were, and
/// reverting it puts them back in one plain table.
@Suite("Partitioning a store's events", .ownThread)
struct EventPartitionMigrationTests {
    @Test("Events already stored move into their months with their ids; new ones number on; reverting puts them back")
    func moves() async throws {
        if !TestPostgres.isAvailable && !TestPostgres.isRequired { try Test.cancel(Comment(rawValue: TestPostgres.skipReason)) }
        let url = try await TestPostgres.shared.createDatabase()
        try await TestStores.withDatabases { databases in
            _ = try Store.open(.postgres(url: url), in: databases, poolSize: 1)
            let database = try TestStores.defaultDatabase(of: databases)
            let logger = Logger(label: "test")
            func migrator(through name: String?) -> Migrator {
                let migrations = Migrations()
                let all = CurbsideMigrations.all
                migrations.add(name.map { last in Array(all.prefix { $0.name != last }) } ?? all)
                return Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
            }
            let before = migrator(through: "0035_partition_device_events")
            try await before.setupIfNeeded().get()
            try await before.prepareBatch().get()

            let sql = database.sql
            let times: [Int64] = [1_736_000_000_000, 1_792_000_000_000, 1_795_000_000_000] // January 2025, October and November 2026
            for (index, time) in times.enumerated() {
                try await sql.raw("""
                    INSERT INTO device_events (device_id, event_id, gateway_id, kind, device_time_ms, received_ms, plate)
                    VALUES ('GM-1', \(bind: "e\(index)"), 'gw', 3, \(bind: time), \(bind: time), '粤J12345')
                    """).run()
            }
            struct Row: Decodable { var id: Int64; var event_id: String; var home: String }
            let stored = try await sql.raw("SELECT id, event_id, 'x' AS home FROM device_events ORDER BY id").all(decoding: Row.self)

            try await migrator(through: nil).prepareBatch().get()
            struct Kind: Decodable { var relkind: String }
            #expect(try await sql.raw("SELECT relkind::text AS relkind FROM pg_class WHERE relname = 'device_events'").first(decoding: Kind.self)?.relkind == "p")
            let moved = try await sql.raw("SELECT id, event_id, tableoid::regclass::text AS home FROM device_events ORDER BY id").all(decoding: Row.self)
            #expect(moved.map(\.id) == stored.map(\.id) && moved.map(\.event_id) == stored.map(\.event_id))
            #expect(moved.map(\.home) == ["device_events_m202501", "device_events_m202610", "device_events_m202611"])
            let months = try await MonthlyPartitions.deviceEvents.months(on: sql)
            #expect(months.contains(ReportMonth(year: 2025, month: 1)!) && months.contains(ReportMonth(year: 2026, month: 11)!))
            struct ID: Decodable { var id: Int64 }
            let next = try await sql.raw("""
                INSERT INTO device_events (device_id, event_id, gateway_id, kind, device_time_ms, received_ms)
                VALUES ('GM-1', 'e3', 'gw', 1, \(bind: times[2]), \(bind: times[2])) RETURNING id
                """).first(decoding: ID.self)?.id
            #expect(next == stored.last!.id + 1)

            try await migrator(through: nil).revertLastBatch().get()
            #expect(try await sql.raw("SELECT relkind::text AS relkind FROM pg_class WHERE relname = 'device_events'").first(decoding: Kind.self)?.relkind == "r")
            #expect(try await sql.raw("SELECT id, event_id, 'x' AS home FROM device_events ORDER BY id").all(decoding: Row.self).map(\.id) == stored.map(\.id) + [next!])
            let after = try await sql.raw("""
                INSERT INTO device_events (device_id, event_id, gateway_id, kind, device_time_ms, received_ms)
                VALUES ('GM-1', 'e4', 'gw', 1, \(bind: times[2]), \(bind: times[2])) RETURNING id
                """).first(decoding: ID.self)?.id
            #expect(after == next! + 1)
        }
        try await TestPostgres.shared.dropDatabase(url: url)
    }
}
