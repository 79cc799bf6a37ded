import CurbsideCore
import Foundation

/// A bill as stored, with where its ledger stands.
public struct StoredBill: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Something is still owed.
        case unpaid
        /// Nothing is owed: paid, waived or reduced to nothing.
        case settled
        /// Its session turned out not to have happened as billed.
        case void
    }

    public var bill: Bill
    public var outstandingFen: Int
    public var status: Status
    /// The short link's key: whoever holds the notice may see and pay the bill.
    public var payToken: String
    /// Where it stands on the arrears ladder; nil until the arrears job first looks at it.
    public var arrearsStage: ArrearsLadder.Stage?
    /// The latest appeal's status, if it was appealed.
    public var appeal: String?
}

/// The columns of bills as SQL rows decode them.
struct BillColumns: Decodable {
    var number: String
    var session_id: String
    var bay_code: String
    var zone_id: String
    var plate: String
    var plate_colour: String
    var start_ms: Int64
    var end_ms: Int64
    var tariff_id: String
    var tariff_version: Int
    var vehicle: String
    var charge_fen: Int
    var waived_fen: Int
    var basis: String
    var permit_id: String?
    var lines: String
    var evidence: String
    var issued_ms: Int64
    var due_ms: Int64
    var outstanding_fen: Int
    var status: String
    var pay_token: String
    var arrears_stage: String?
    var appeal: String?

    static let list = """
        number, session_id, bay_code, zone_id, plate, plate_colour, start_ms, end_ms, tariff_id, tariff_version, vehicle, charge_fen, \
        waived_fen, basis, permit_id, lines, evidence, issued_ms, due_ms, outstanding_fen, status, pay_token, arrears_stage, \
        (SELECT a.status FROM appeals a WHERE a.bill_number = bills.number ORDER BY a.filed_ms DESC LIMIT 1) AS appeal
        """

    var stored: StoredBill {
        let decoder = JSONDecoder()
        let bill = Bill(
            number: number, sessionID: session_id, bay: bay_code, zoneID: zone_id, plate: plate,
            plateColour: PlateColour(rawValue: plate_colour) ?? .unknown, start: start_ms, end: end_ms, tariffID: tariff_id,
            tariffVersion: tariff_version, vehicle: VehicleClass(rawValue: vehicle) ?? .small, chargeFen: charge_fen, waivedFen: waived_fen,
            basis: Bill.Basis(rawValue: basis) ?? .charged, permitID: permit_id,
            lines: (try? decoder.decode([BillLine].self, from: Data(lines.utf8))) ?? [],
            evidence: (try? decoder.decode([String].self, from: Data(evidence.utf8))) ?? [], issuedAt: issued_ms, dueAt: due_ms
        )
        return StoredBill(
            bill: bill, outstandingFen: outstanding_fen, status: StoredBill.Status(rawValue: status) ?? .unpaid, payToken: pay_token,
            arrearsStage: arrears_stage.flatMap(ArrearsLadder.Stage.init(rawValue:)), appeal: appeal
        )
    }
}

enum JSONText {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
