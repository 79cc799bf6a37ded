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

    /// Stays under way in `range` that had not ended by `now` (those `groups` leaves out), without their ids.
    public func spans(overlapping range: Range<Int64>, bays: [String]?, openAt now: Int64) async throws -> [Span] {
        try await rows("bay_code, start_ms, end_ms", tail: "AND (end_ms IS NULL OR end_ms > \(bind: now))", limit: nil, overlapping: range, bays: bays) { row in
            Span(bayCode: try row.decode(column: "bay_code", as: String.self), start: try row.decode(column: "start_ms", as: Int64.self),
                 end: try row.decode(column: "end_ms", as: Int64?.self))
        }
    }

    /// What stays are grouped by: the zone, the road segment or the bay.
    public enum GroupKey: Sendable {
        case zone, segment, bay
    }

    /// Ended stays under way in `range`, grouped by `key` and the UTC quarter-hours they start and end in
    /// (see `CurbAggregates.Group`), at bays in service. Stays ended after `now` or not at all are left to
    /// `spans`. With `bays`, only those bays' stays, grouped by bay whatever `key` says.
    public func groups(overlapping range: Range<Int64>, by key: GroupKey, bays: [String]?, now: Int64) async throws -> [(key: String, group: CurbAggregates.Group)] {
        let sql = database.sql
        let bound = bays.flatMap { $0.count > Self.boundBays ? nil : $0 }
        let wanted = bays.flatMap { $0.count > Self.boundBays ? Set($0) : nil }
        // Stays count toward the bay's zone and segment as the registry has them now, and only bays in service count.
        let column: SQLQueryString = switch bays == nil ? key : .bay {
        case .zone: "b.zone_id"
        case .segment: "b.segment_id"
        case .bay: "s.bay_code"
        }
        let rows = try await sql.raw("""
            SELECT \(column) AS k, s.start_ms / 900000 AS sq, s.end_ms / 900000 AS eq, COUNT(*) AS n,
                   CAST(SUM(s.start_ms) AS BIGINT) AS starts, CAST(SUM(s.end_ms) AS BIGINT) AS ends
            FROM parking_sessions s JOIN bays b ON b.code = s.bay_code AND b.lifecycle = 'active'
            WHERE \(Self.overlapping(range, bays: bound)) AND s.end_ms <= \(bind: now)
            GROUP BY 1, 2, 3
            """).all()
        return try rows.compactMap { row in
            let key = try row.decode(column: "k", as: String.self)
            if let wanted, !wanted.contains(key) { return nil }
            return (key, CurbAggregates.Group(
                startQuarter: try row.decode(column: "sq", as: Int64.self), endQuarter: try row.decode(column: "eq", as: Int64.self),
                count: try row.decode(column: "n", as: Int.self), startSum: try row.decode(column: "starts", as: Int64.self),
                endSum: try row.decode(column: "ends", as: Int64.self)
            ))
        }
    }

    /// Rows of the overlapping stays, read column by column (faster than Decodable for many rows); `tail` adds
    /// conditions or an order. Bays too many to bind into the query are filtered here.
    private func rows<T>(
        _ columns: String, tail: SQLQueryString, limit: Int?, overlapping range: Range<Int64>, bays: [String]?, _ read: (any SQLRow) throws -> T
    ) async throws -> [T] {
        let sql = database.sql
        let bound = bays.flatMap { $0.count > Self.boundBays ? nil : $0 }
        let wanted = bays.flatMap { $0.count > Self.boundBays ? Set($0) : nil }
        // A limit goes into the query only where no rows are dropped after it.
        let limited: SQLQueryString = limit.map { wanted == nil ? " LIMIT \(literal: $0)" : "" } ?? ""
        let rows = try await sql.raw("SELECT \(unsafeRaw: columns) FROM parking_sessions WHERE \(Self.overlapping(range, bays: bound)) \(tail)\(limited)").all()
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

    static func overlapping(_ range: Range<Int64>, bays: [String]?) -> SQLQueryString {
        var condition: SQLQueryString = """
            status <> 'void' AND start_ms < \(bind: range.upperBound) AND (end_ms IS NULL OR end_ms > \(bind: range.lowerBound))
            """
        if let bays {
            condition = bays.isEmpty ? "\(condition) AND 1 = 0" : "\(condition) AND bay_code IN (\(binds: bays))"
        }
        return condition
    }
}
