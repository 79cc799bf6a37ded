import FluentKit
import Foundation
import SQLKit

/// On PostgreSQL, device events partitioned by UTC month of their device time
/// (`MonthlyPartitions`): ingestion writes the month in progress, whose indexes
/// stay small enough to keep in memory however many months are kept; fusion's
/// reads, bounded by time, touch the months they need; retention drops whole
/// months. The events move in one transaction (minutes on a city with months
/// of events: see docs/operations.md). Row ids continue from a sequence of
/// their own: a partitioned table on PostgreSQL 15 has no identity column.
/// Every unique index holds the device time: one event is one device's event
/// id at one device time, and ingestion looks for the same id at other times
/// itself. SQLite keeps its plain table, with an index on the device time
/// for retention's walk through the events past their period.
struct M0035_PartitionDeviceEvents: AsyncMigration {
    var name: String { "0035_partition_device_events" }

    static let columns = """
        id, device_id, event_id, gateway_id, bay_code, zone_id, kind, device_time_ms, received_ms, occupied, battery, rssi,
        temperature_deci, plate, plate_colour, plate_confidence, images
        """

    /// Every column but the id, as both versions of the table define them (M0007's).
    static let definitions = """
        device_id TEXT NOT NULL, event_id TEXT NOT NULL, gateway_id TEXT NOT NULL, bay_code TEXT, zone_id TEXT, kind SMALLINT NOT NULL,
        device_time_ms BIGINT NOT NULL, received_ms BIGINT NOT NULL, occupied BOOLEAN, battery SMALLINT, rssi SMALLINT, temperature_deci SMALLINT,
        plate TEXT, plate_colour TEXT, plate_confidence SMALLINT, images TEXT
        """

    /// The indexes every version of the table has besides its keys (M0007's and M0032's).
    static func createIndexes(on sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE INDEX device_events_bay_time_idx ON device_events (bay_code, device_time_ms)").run()
        try await sql.raw("CREATE INDEX device_events_device_time_idx ON device_events (device_id, device_time_ms)").run()
        try await sql.raw("""
            CREATE INDEX device_events_personal_idx ON device_events (device_time_ms, id)
            WHERE (plate IS NOT NULL AND plate NOT LIKE '~%') OR (images IS NOT NULL AND images <> '[]')
            """).run()
    }

    static func dropIndexes(on sql: any SQLDatabase) async throws {
        for index in ["device_events_bay_time_idx", "device_events_device_time_idx", "device_events_personal_idx"] {
            try await sql.raw("DROP INDEX \(ident: index)").run()
        }
    }

    func prepare(on database: any Database) async throws {
        guard database.sql.dialect.name == "postgresql" else {
            // Retention removes events past their rows' period walking them in time order.
            try await database.sql.raw("CREATE INDEX device_events_time_idx ON device_events (device_time_ms, id)").run()
            return
        }
        try await database.transaction { db in
            let sql = db.sql
            // The plain table steps aside, freeing its index and constraint names.
            try await sql.raw("ALTER TABLE device_events RENAME TO device_events_unpartitioned").run()
            try await sql.raw("ALTER TABLE device_events_unpartitioned RENAME CONSTRAINT device_events_pkey TO device_events_unpartitioned_pkey").run()
            try await Self.dropIndexes(on: sql)
            try await sql.raw("CREATE SEQUENCE device_event_ids").run()
            try await sql.raw("""
                CREATE TABLE device_events (
                    id BIGINT NOT NULL DEFAULT nextval('device_event_ids'), \(unsafeRaw: Self.definitions)
                ) PARTITION BY RANGE (device_time_ms)
                """).run()
            try await sql.raw("ALTER SEQUENCE device_event_ids OWNED BY device_events.id").run()
            try await sql.raw("CREATE TABLE device_events_default PARTITION OF device_events DEFAULT").run()
            struct Span: Decodable { var first: Int64?; var last: Int64? }
            let span = try await sql.raw("SELECT MIN(device_time_ms) AS first, MAX(device_time_ms) AS last FROM device_events_unpartitioned").first(decoding: Span.self)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await MonthlyPartitions.deviceEvents.ensure(
                from: min(span?.first ?? now, now - MonthlyPartitions.behind), through: max(span?.last ?? now, now + MonthlyPartitions.ahead), on: sql
            )
            // Indexes after the rows: building each once is quicker than growing it row by row.
            try await sql.raw("""
                INSERT INTO device_events (\(unsafeRaw: Self.columns)) SELECT \(unsafeRaw: Self.columns) FROM device_events_unpartitioned
                """).run()
            try await sql.raw("SELECT setval('device_event_ids', GREATEST(COALESCE((SELECT MAX(id) FROM device_events), 0), 1))").run()
            try await sql.raw("DROP TABLE device_events_unpartitioned").run()
            try await sql.raw("ALTER TABLE device_events ADD CONSTRAINT device_events_pkey PRIMARY KEY (id, device_time_ms)").run()
            try await sql.raw("ALTER TABLE device_events ADD CONSTRAINT device_events_key UNIQUE (device_id, event_id, device_time_ms)").run()
            try await Self.createIndexes(on: sql)
            try await sql.raw("ANALYZE device_events").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard database.sql.dialect.name == "postgresql" else {
            try await database.sql.raw("DROP INDEX device_events_time_idx").run()
            return
        }
        try await database.transaction { db in
            let sql = db.sql
            try await sql.raw("ALTER TABLE device_events RENAME TO device_events_partitioned").run()
            for name in ["device_events_pkey", "device_events_key"] {
                try await sql.raw("ALTER TABLE device_events_partitioned DROP CONSTRAINT \(ident: name)").run()
            }
            try await Self.dropIndexes(on: sql)
            try await sql.raw("""
                CREATE TABLE device_events (
                    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \(unsafeRaw: Self.definitions),
                    CONSTRAINT "uq:device_events.device_id+device_events.event_id" UNIQUE (device_id, event_id)
                )
                """).run()
            try await sql.raw("""
                INSERT INTO device_events (\(unsafeRaw: Self.columns)) OVERRIDING SYSTEM VALUE SELECT \(unsafeRaw: Self.columns) FROM device_events_partitioned
                """).run()
            try await sql.raw("SELECT setval(pg_get_serial_sequence('device_events', 'id'), GREATEST(COALESCE((SELECT MAX(id) FROM device_events), 0), 1))").run()
            try await sql.raw("DROP TABLE device_events_partitioned").run()
            try await Self.createIndexes(on: sql)
        }
    }
}
