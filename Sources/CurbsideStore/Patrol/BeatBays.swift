import CurbsideCore
import FluentKit
import Foundation
import PostgresNIO
import SQLKit

/// One bay of a beat as the handheld lists it.
public struct BeatBay: Sendable, Equatable {
    public var code: String
    public var segmentID: String
    /// Position in walking order, from 0.
    public var order: Int
    public var state: BayState
    public var sessionID: String?
    public var since: Int64?
    public var plate: String?
    public var plateColour: String?
    /// Overdue arrears of the parked car's plate, for repeat offenders.
    public var arrearsFen: Int
}

/// The live state of every bay on a beat, in walking order: two or three
/// queries whatever the beat's size, because the handheld asks for it all
/// the time. On PostgreSQL the rows are read by position, without Codable:
/// the list is the patrol API's hottest read.
public struct BeatBays: Sendable {
    public let database: any Database
    /// A stay longer than this is an overstay (ms).
    public let overstayAfter: Int64

    public init(database: any Database, overstayAfter: Int64) {
        self.database = database
        self.overstayAfter = overstayAfter
    }

    struct Row: Decodable {
        var code: String
        var segment_id: String
        var suspended: Bool
        var occupied: Bool?
        var session_id: String?
        var start_ms: Int64?
        var plate: String?
        var plate_colour: String?
        var sensor_online: Bool?
        var prepaid: Bool
        var permitted: Bool
        var arrears: Int?
    }

    /// Every bay of a beat with what is live about it, in one statement: `$1` the
    /// beat, `$2` now as a date (suspensions), `$3` one bay or empty for all, `$4` now in ms.
    static let statement = """
        SELECT b.code, b.segment_id,
               (z.lifecycle <> 'active'
                OR (b.suspended_from IS NOT NULL AND b.suspended_from <= $2 AND (b.suspended_until IS NULL OR b.suspended_until > $2))
                OR (z.suspended_from IS NOT NULL AND z.suspended_from <= $2 AND (z.suspended_until IS NULL OR z.suspended_until > $2))) AS suspended,
               o.occupied, p.id AS session_id, p.start_ms, p.plate, p.plate_colour, d.online AS sensor_online,
               (p.id IS NOT NULL AND EXISTS (SELECT 1 FROM payments y WHERE y.session_id = p.id AND y.purpose = 'prepay' AND y.status = 'paid')) AS prepaid,
               (p.plate IS NOT NULL AND EXISTS (SELECT 1 FROM permits m WHERE m.plate = p.plate AND m.kind <> 'disabled'
                                                 AND m.from_ms <= $4 AND m.until_ms > $4)) AS permitted,
               (SELECT CAST(SUM(l.outstanding_fen) AS BIGINT) FROM bills l WHERE p.plate IS NOT NULL AND l.plate = p.plate
                  AND l.plate_colour = p.plate_colour AND l.status = 'unpaid' AND l.arrears_stage IN ('overdue', 'referred')) AS arrears
        FROM beat_segments s
        JOIN bays b ON b.segment_id = s.segment_id AND b.lifecycle = 'active'
        JOIN zones z ON z.id = b.zone_id
        LEFT JOIN bay_occupancy o ON o.bay_code = b.code
        LEFT JOIN parking_sessions p ON p.bay_code = b.code AND p.status = 'open'
        LEFT JOIN devices d ON d.device_id = b.sensor_id
        WHERE s.beat_id = $1 AND ($3 = '' OR b.code = $3)
        ORDER BY s.ord, b.chainage, b.code
        """

    public func list(beat: String, bay: String? = nil, now: Int64) async throws -> [BeatBay] {
        let rows = try await rows(beat: beat, bay: bay ?? "", now: now)
        return rows.enumerated().map { order, row in
            let plate = row.plate.map(Plate.init(stored:))
            let exempt = plate.map { VehicleClass.of($0, colour: .blue) == .exempt } ?? false
            // Text no plate format knows is for the officer to read: the bay shows as no_plate.
            let state = BayState.of(
                suspended: row.suspended, sensorOnline: row.sensor_online, occupied: row.occupied, openSince: row.start_ms,
                plateRead: plate.map { $0.kind != .unrecognised } ?? false,
                covered: row.prepaid || row.permitted || exempt, now: now, overstayAfter: overstayAfter
            )
            return BeatBay(
                code: row.code, segmentID: row.segment_id, order: order, state: state, sessionID: row.session_id, since: row.start_ms,
                plate: row.plate, plateColour: row.plate_colour, arrearsFen: row.arrears ?? 0
            )
        }
    }

    func rows(beat: String, bay: String, now: Int64) async throws -> [Row] {
        let date = Date(milliseconds: now)
        if let postgres = database as? any PostgresDatabase {
            let statement = BeatBaysStatement(beat: beat, now: date, bay: bay, nowMs: now)
            let logger = database.logger
            return try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    var rows: [Row] = []
                    for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                    return rows
                }
            }.get()
        }
        // SQLite: the same statement, its numbered parameters bound in turn.
        let values: [String: any Encodable & Sendable] = ["$1": beat, "$2": date, "$3": bay, "$4": now]
        var query = SQLQueryString("")
        var rest = Substring(Self.statement)
        while let marker = rest.firstRange(of: /\$[1-4]/) {
            query.appendLiteral(String(rest[..<marker.lowerBound]))
            query.appendInterpolation(bind: values[String(rest[marker])]!)
            rest = rest[marker.upperBound...]
        }
        query.appendLiteral(String(rest))
        return try await database.sql.raw(query).all(decoding: Row.self)
    }
}

/// The beat statement prepared once per PostgreSQL connection, its rows read by position.
struct BeatBaysStatement: PostgresPreparedStatement {
    static let sql = BeatBays.statement
    typealias Row = BeatBays.Row

    var beat: String
    var now: Date
    var bay: String
    var nowMs: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(beat)
        bindings.append(now)
        bindings.append(bay)
        bindings.append(nowMs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (code, segment, suspended, occupied, session, start, plate, colour, online, prepaid, permitted, arrears) = try row.decode(
            (String, String, Bool, Bool?, String?, Int64?, String?, String?, Bool?, Bool, Bool, Int?).self
        )
        return Row(code: code, segment_id: segment, suspended: suspended, occupied: occupied, session_id: session, start_ms: start, plate: plate,
                   plate_colour: colour, sensor_online: online, prepaid: prepaid, permitted: permitted, arrears: arrears)
    }
}
