import Crypto
import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// One referred bill of a case, with its evidence.
public struct CaseBill: Sendable, Equatable {
    public var number: String
    public var bay: String
    public var zoneID: String
    public var address: String
    public var longitude: Double
    public var latitude: Double
    public var entry: Int64
    public var exit: Int64
    public var outstandingFen: Int
    /// Evidence image digests, in capture order.
    public var images: [String]
    /// The camera's confidence in the plate read, per mille.
    public var plateConfidence: Int?

    /// A confidence at or above this is a clear plate.
    public static let clearPlate = 900

    /// Why the bill cannot go to the traffic police as it stands (GA/T 1426: at
    /// least three images, one with a clear plate); empty when it can.
    public var evidenceProblems: [String] {
        var problems: [String] = []
        if images.count < 3 { problems.append("fewer than 3 images (\(images.count))") }
        if (plateConfidence ?? 0) < Self.clearPlate { problems.append("no clear plate read") }
        if outstandingFen == 0 { problems.append("settled since referral") }
        return problems
    }
}

/// A plate's referred bills, grouped for the traffic police.
public struct EnforcementCase: Sendable, Equatable {
    public var id: String
    public var plate: String
    public var plateColour: String
    /// open (taking referrals) or exported (sent; later referrals open a new case).
    public var status: String
    public var openedAt: Int64
    public var exportedAt: Int64?
    public var bills: [CaseBill]

    public var owedFen: Int { bills.reduce(0) { $0 + $1.outstandingFen } }
}

/// Enforcement cases: a plate's bills referred to the traffic police, with
/// their evidence, one open case per plate at a time.
public struct EnforcementCases: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Adds a referred bill to its plate's open case, opening one if there is none.
    static func refer(_ bill: String, plate: String, colour: String, at now: Int64, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var id: String }
        let open = try await sql.raw("""
            SELECT id FROM enforcement_cases WHERE plate = \(bind: plate) AND plate_colour = \(bind: colour) AND status = 'open' ORDER BY opened_ms LIMIT 1
            """).first(decoding: Row.self)?.id
        let id = open ?? RandomID.make("EC", length: 12)
        if open == nil {
            try await sql.raw("""
                INSERT INTO enforcement_cases (id, plate, plate_colour, status, opened_ms) VALUES (\(bind: id), \(bind: plate), \(bind: colour), 'open', \(bind: now))
                """).run()
        }
        try await sql.raw("INSERT INTO case_bills (case_id, bill_number, added_ms) VALUES (\(bind: id), \(bind: bill), \(bind: now))").run()
    }

    public func cases(status: String? = nil) async throws -> [EnforcementCase] {
        let sql = database.sql
        struct Row: Decodable { var id: String }
        let filter: SQLQueryString = status.map { "WHERE status = \(bind: $0)" } ?? ""
        var cases: [EnforcementCase] = []
        for row in try await sql.raw("SELECT id FROM enforcement_cases \(filter) ORDER BY opened_ms, id").all(decoding: Row.self) {
            if let found = try await Self.load(row.id, on: sql) { cases.append(found) }
        }
        return cases
    }

    public func enforcementCase(_ id: String) async throws -> EnforcementCase? {
        try await Self.load(id, on: database.sql)
    }

    /// The case for the traffic police: its bills with complete evidence, in a
    /// CSV beside the JSON, and those held back with why. The case is marked
    /// exported (later referrals open a new one) and the export is audited.
    public func export(_ id: String, by principal: Principal, now: Int64) async throws -> (case: EnforcementCase, csv: String) {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard var found = try await Self.load(id, on: sql) else { throw PatrolError.notFound(.`case`, id) }
            found.status = "exported"
            found.exportedAt = now
            try await sql.raw("UPDATE enforcement_cases SET status = 'exported', exported_ms = \(bind: now) WHERE id = \(bind: id)").run()
            let csv = Self.csv(found)
            try await AuditLog.record("export_case", subject: id, by: principal, detail: [
                "plate": found.plate, "bills": String(found.bills.filter { $0.evidenceProblems.isEmpty }.count),
                "csv_sha256": SHA256.hash(data: Data(csv.utf8)).map { String(format: "%02x", $0) }.joined(),
            ], at: now, on: sql)
            return (found, csv)
        }
    }

    /// One line per exported bill; image digests separated by `;`. Times are UTC.
    static func csv(_ found: EnforcementCase) -> String {
        func time(_ ms: Int64) -> String { Date(milliseconds: ms).formatted(.iso8601) }
        func field(_ text: String) -> String { text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text }
        let header = "case_id,plate,plate_colour,bill_number,bay,address,longitude,latitude,entry,exit,amount_fen,image_sha256"
        let lines = found.bills.filter { $0.evidenceProblems.isEmpty }.map { bill in
            [found.id, found.plate, found.plateColour, bill.number, bill.bay, field(bill.address), String(bill.longitude), String(bill.latitude),
             time(bill.entry), time(bill.exit), String(bill.outstandingFen), bill.images.joined(separator: ";")].joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    static func load(_ id: String, on sql: any SQLDatabase) async throws -> EnforcementCase? {
        struct Head: Decodable { var id: String; var plate: String; var plate_colour: String; var status: String; var opened_ms: Int64; var exported_ms: Int64? }
        guard let head = try await sql.raw("SELECT id, plate, plate_colour, status, opened_ms, exported_ms FROM enforcement_cases WHERE id = \(bind: id)")
            .first(decoding: Head.self)
        else { return nil }
        struct Row: Decodable {
            var number: String; var bay_code: String; var zone_id: String; var start_ms: Int64; var end_ms: Int64; var outstanding_fen: Int; var evidence: String
            var plate_confidence: Int?; var longitude: Double?; var latitude: Double?; var road_name: String?; var side: String?; var from_street: String?; var to_street: String?
        }
        let rows = try await sql.raw("""
            SELECT l.number, l.bay_code, l.zone_id, l.start_ms, l.end_ms, l.outstanding_fen, l.evidence, p.plate_confidence, b.longitude, b.latitude,
                   g.road_name, g.side, g.from_street, g.to_street
            FROM case_bills c JOIN bills l ON l.number = c.bill_number
            LEFT JOIN parking_sessions p ON p.id = l.session_id
            LEFT JOIN bays b ON b.code = l.bay_code
            LEFT JOIN road_segments g ON g.id = b.segment_id
            WHERE c.case_id = \(bind: id) ORDER BY l.start_ms, l.number
            """).all(decoding: Row.self)
        let bills = rows.map { row in
            let address = row.road_name.map {
                RoadSegmentSpec(id: "", zoneID: row.zone_id, roadName: $0, side: row.side.flatMap(RoadSide.init(rawValue:)) ?? .north,
                                fromStreet: row.from_street ?? "", toStreet: row.to_street ?? "", path: []).address
            } ?? ""
            return CaseBill(
                number: row.number, bay: row.bay_code, zoneID: row.zone_id, address: address, longitude: row.longitude ?? 0, latitude: row.latitude ?? 0,
                entry: row.start_ms, exit: row.end_ms, outstandingFen: row.outstanding_fen,
                images: (try? JSONText.decode([String].self, row.evidence)) ?? [], plateConfidence: row.plate_confidence
            )
        }
        return EnforcementCase(
            id: head.id, plate: head.plate, plateColour: head.plate_colour, status: head.status, openedAt: head.opened_ms, exportedAt: head.exported_ms, bills: bills
        )
    }
}
