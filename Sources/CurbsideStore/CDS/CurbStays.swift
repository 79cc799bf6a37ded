import CurbsideCore
import FluentKit
import SQLKit

/// Stays and device outages in a time window, for the CDS Metrics API.
public struct CurbStays: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public struct Stay: Sendable, Equatable {
        public var id: String
        public var bayCode: String
        public var start: Int64
        public var end: Int64?
    }

    /// A stay's bay and times only, for counting it in aggregates.
    public struct Span: Sendable, Equatable {
        public var bayCode: String
        public var start: Int64
        public var end: Int64?
    }

    /// Bay lists longer than this are filtered after reading rather than bound into the query.
    static let boundBays = 500

    /// Stays under way at some time in `range` (started before its end, not ended before its start), not voided,
    /// by start: at most `limit` + 1, so a caller can tell there were more than `limit` without counting first.
    public func stays(overlapping range: Range<Int64>, bays: [String]?, limit: Int) async throws -> [Stay] {
        try await rows("id, bay_code, start_ms, end_ms", tail: "ORDER BY start_ms, id", limit: limit + 1, overlapping: range, bays: bays) { row in
            Stay(id: try row.decode(column: "id", as: String.self), bayCode: try row.decode(column: "bay_code", as: String.self),
                 start: try row.decode(column: "start_ms", as: Int64.self), end: try row.decode(column: "end_ms", as: Int64?.self))
        }
    }

    /// Stays to count in the hours of `range`, without their ids: those under way in it, and those ended at its
    /// first instant (an end is an event of the hour it falls in). With `now`, only those not ended by then.
    public func spans(counting range: Range<Int64>, bays: [String]?, openAt now: Int64? = nil) async throws -> [Span] {
        let open: SQLQueryString = now.map { " AND (end_ms IS NULL OR end_ms > \(bind: $0))" } ?? ""
        return try await rows("bay_code, start_ms, end_ms", tail: open, limit: nil, overlapping: range, endingAtStart: true, bays: bays) { row in
            Span(bayCode: try row.decode(column: "bay_code", as: String.self), start: try row.decode(column: "start_ms", as: Int64.self),
                 end: try row.decode(column: "end_ms", as: Int64?.self))
        }
    }

    /// Rows of the overlapping stays, read column by column (faster than Decodable for many rows); `tail` adds
    /// conditions or an order. Bays too many to bind into the query are filtered here.
    private func rows<T>(
        _ columns: String, tail: SQLQueryString, limit: Int?, overlapping range: Range<Int64>, endingAtStart: Bool = false, bays: [String]?,
        _ read: (any SQLRow) throws -> T
    ) async throws -> [T] {
        let sql = database.sql
        let bound = bays.flatMap { $0.count > Self.boundBays ? nil : $0 }
        let wanted = bays.flatMap { $0.count > Self.boundBays ? Set($0) : nil }
        // A limit goes into the query only where no rows are dropped after it.
        let limited: SQLQueryString = limit.map { wanted == nil ? " LIMIT \(literal: $0)" : "" } ?? ""
        let rows = try await sql.raw("SELECT \(unsafeRaw: columns) FROM parking_sessions WHERE \(Self.overlapping(range, endingAtStart: endingAtStart, bays: bound)) \(tail)\(limited)").all()
        guard let wanted else { return try rows.map(read) }
        let kept = try rows.filter { wanted.contains(try $0.decode(column: "bay_code", as: String.self)) }
        return try kept.prefix(limit ?? kept.count).map(read)
    }

    /// Each device's spells out of contact within `range`.
    public func outages(within range: Range<Int64>) async throws -> [String: [Range<Int64>]] {
        var outages: [String: [Range<Int64>]] = [:]
        for (device, window) in try await DeviceStatusHistory.windows(for: range, on: database.sql) {
            let spells = DeviceOutages.ranges(lostAtStart: window.lostAtStart, changes: window.changes, period: range)
            if !spells.isEmpty { outages[device] = spells }
        }
        return outages
    }

    static func overlapping(_ range: Range<Int64>, endingAtStart: Bool = false, bays: [String]?) -> SQLQueryString {
        let ends: SQLQueryString = endingAtStart ? "end_ms >= \(bind: range.lowerBound)" : "end_ms > \(bind: range.lowerBound)"
        var condition: SQLQueryString = """
            status <> 'void' AND start_ms < \(bind: range.upperBound) AND (end_ms IS NULL OR \(ends))
            """
        if let bays {
            condition = bays.isEmpty ? "\(condition) AND 1 = 0" : "\(condition) AND bay_code IN (\(binds: bays))"
        }
        return condition
    }
}
