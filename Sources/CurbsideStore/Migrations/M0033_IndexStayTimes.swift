import FluentKit
import SQLKit

/// Time indexes for the questions asked of a window: stays starting in it
/// (start_ms), stays overlapping it (end_ms: those ending after it begins, and
/// the open ones), and devices' comms records in it (at_ms). Without them the
/// report's and the CDS aggregates' reads of a day went through every stay or
/// record before it. Built on upgrade with the tables locked for writes while
/// it runs (see docs/operations.md).
struct M0033_IndexStayTimes: AsyncMigration {
    var name: String { "0033_index_stay_times" }

    static let indexes = [
        ("parking_sessions_start_idx", "parking_sessions", "start_ms"),
        ("parking_sessions_end_idx", "parking_sessions", "end_ms"),
        ("device_status_events_at_idx", "device_status_events", "at_ms"),
    ]

    func prepare(on database: any Database) async throws {
        for (index, table, column) in Self.indexes {
            try await database.sql.create(index: index).on(table).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        for (index, _, _) in Self.indexes.reversed() {
            try await database.sql.raw("DROP INDEX \(ident: index)").run()
        }
    }
}
