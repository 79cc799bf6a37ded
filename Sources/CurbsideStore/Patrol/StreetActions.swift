import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// What a street action came to, as stored and as the handheld is answered
/// (the same answer every time the action is sent).
public struct StreetActionResult: Sendable, Equatable, Codable {
    public var clientID: String
    public var kind: StreetAction.Kind
    public var outcome: StreetOutcome
    public var paymentID: String?
    /// Cash taken beyond what the bills still owed, refunded at once.
    public var refundedFen: Int?
    /// A notice's printed text and the payment links on it.
    public var noticeText: String?
    public var links: [String]?
}

/// Carries out officers' street actions, once each per officer and client id.
/// Actions on a bay become events of the bay (device `patrol:<staff>`) and fold
/// into its sessions like any device's; cash goes to the ledger; a notice is
/// composed for printing. Each is recorded in the audit log.
public struct StreetActions: Sendable {
    /// How far ahead of the server's clock a handheld's time may run.
    public static let clockSkew: Int64 = 2 * Milliseconds.minute

    public let store: Store
    public let database: any Database
    public let rules: FusionRules
    /// The short payment link of a bill's token.
    public let link: @Sendable (String) -> String

    public init(store: Store, database: any Database, rules: FusionRules, link: @escaping @Sendable (String) -> String) {
        self.store = store
        self.database = database
        self.rules = rules
        self.link = link
    }

    /// Carries out `action` for `officer` in `shift`, or answers as the first time if it was sent before.
    /// Throws when the action is refused: nothing is done or recorded then, so it may be corrected and sent again.
    public func perform(_ action: StreetAction, by officer: Principal, shift: Shift, now: Int64) async throws -> (result: StreetActionResult, replayed: Bool) {
        if let stored = try await result(of: action.clientID, officer: officer.subject) { return (stored, true) }
        guard action.at >= shift.startedAt, action.at <= now + Self.clockSkew else {
            throw PatrolError.outsideShift(shift.id)
        }
        let result: StreetActionResult
        switch action.kind {
        case .sessionStart, .sessionEnd, .plate, .photos:
            result = try await onBay(action, officer: officer, shift: shift, now: now)
        case .cash:
            return try await cash(action, officer: officer, shift: shift, now: now)
        case .notice:
            result = try await notice(action, shift: shift)
        }
        return try await save(result, action: action, officer: officer, shift: shift, now: now)
    }

    /// The stored answer to an action sent before.
    func result(of clientID: String, officer: String) async throws -> StreetActionResult? {
        try await Self.result(of: clientID, officer: officer, on: database.sql)
    }

    static func result(of clientID: String, officer: String, on sql: any SQLDatabase) async throws -> StreetActionResult? {
        struct Row: Decodable { var result: String }
        return try await sql.raw("""
            SELECT result FROM street_actions WHERE staff_id = \(bind: officer) AND client_id = \(bind: clientID)
            """).first(decoding: Row.self).map { try JSONText.decode(StreetActionResult.self, $0.result) }
    }

    /// Records the answer with its audit entry; if the same action was recorded meanwhile, that answer stands.
    func save(_ result: StreetActionResult, action: StreetAction, officer: Principal, shift: Shift, now: Int64) async throws -> (result: StreetActionResult, replayed: Bool) {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard try await Self.insert(result, action: action, officer: officer, shift: shift, now: now, on: sql) else {
                return (try await Self.result(of: action.clientID, officer: officer.subject, on: sql)!, true)
            }
            return (result, false)
        }
    }

    /// Inserts the action's row and audit entry; false when it was there already.
    static func insert(_ result: StreetActionResult, action: StreetAction, officer: Principal, shift: Shift, now: Int64, on sql: any SQLDatabase) async throws -> Bool {
        struct Key: Decodable { var client_id: String }
        let inserted = try await sql.raw("""
            INSERT INTO street_actions (staff_id, client_id, shift_id, kind, bay_code, at_ms, received_ms, status, code, result)
            VALUES (\(bind: officer.subject), \(bind: action.clientID), \(bind: shift.id), \(bind: action.kind.rawValue), \(bind: action.bay?.rawValue),
                    \(bind: action.at), \(bind: now), \(bind: result.outcome.status.rawValue), \(bind: result.outcome.code), \(bind: try JSONText.encode(result)))
            ON CONFLICT (staff_id, client_id) DO NOTHING RETURNING client_id
            """).first(decoding: Key.self) != nil
        guard inserted else { return false }
        var detail = ["client_id": action.clientID, "shift": shift.id, "at_ms": String(action.at), "status": result.outcome.status.rawValue, "code": result.outcome.code]
        detail["bay"] = action.bay?.rawValue
        detail["plate"] = action.plate.map { $0.text + "/" + (action.colour ?? .unknown).rawValue }
        detail["photos"] = action.photos.isEmpty ? nil : action.photos.joined(separator: ",")
        detail["payment"] = result.paymentID
        let subject = result.outcome.sessionID ?? result.paymentID ?? action.bay?.rawValue ?? action.clientID
        try await AuditLog.record("street_" + action.kind.rawValue, subject: subject, by: officer, detail: detail, at: now, on: sql)
        return true
    }

    // MARK: - Actions on a bay

    /// The bay on the shift's beat: its zone and position.
    struct BeatBay: Decodable { var zone_id: String; var longitude: Double; var latitude: Double }

    func beatBay(_ bay: BayCode?, shift: Shift, on sql: any SQLDatabase) async throws -> (BayCode, BeatBay) {
        guard let bay else { throw PatrolError.invalid("This action needs a bay.") }
        guard let row = try await sql.raw("""
            SELECT b.zone_id, b.longitude, b.latitude FROM bays b JOIN beat_segments s ON s.segment_id = b.segment_id
            WHERE s.beat_id = \(bind: shift.beatID) AND b.code = \(bind: bay.rawValue)
            """).first(decoding: BeatBay.self)
        else { throw PatrolError.offBeat(bay.rawValue) }
        return (bay, row)
    }

    /// Stores the action as an event of the bay and reads its outcome from the bay's sessions folded with and without it.
    func onBay(_ action: StreetAction, officer: Principal, shift: Shift, now: Int64) async throws -> StreetActionResult {
        let sql = database.sql
        let (bay, place) = try await beatBay(action.bay, shift: shift, on: sql)
        if action.kind == .plate, action.plate == nil { throw PatrolError.invalid("A plate action needs the plate.") }
        if action.kind == .plate || action.kind == .photos {
            guard !action.photos.isEmpty else { throw PatrolError.invalid("A \(action.kind.rawValue) action needs at least one photo.") }
        }
        try await requireUploaded(action.photos, on: sql)
        if action.plate != nil, let billed = try await billedSession(bay: bay, at: action.at, on: sql) {
            return StreetActionResult(clientID: action.clientID, kind: action.kind, outcome: StreetOutcome(
                status: .conflict, code: "already_billed",
                message: "The stay was billed before the plate reached us; the bill stands, and a wrong plate is put right by an appeal.", sessionID: billed
            ))
        }
        guard let event = action.event(officer: officer.subject, receivedAt: now) else { preconditionFailure("checked above: a bay, and a plate for a plate action") }
        let row = EventRow(
            deviceID: event.deviceID, eventID: event.eventID, gatewayID: shift.id, bay: bay, zoneID: place.zone_id, kind: EventKind(event.payload),
            deviceTime: action.at, receivedTime: now, occupied: nil, battery: nil, rssi: nil, temperatureDeci: nil, plate: action.plate,
            plateColour: action.plate == nil ? nil : (action.colour ?? .unknown), plateConfidence: action.plate == nil ? nil : 1000,
            images: action.photos.map {
                EvidenceImageRef(sha256: $0, capturedMs: action.at, deviceID: event.deviceID, longitude: place.longitude, latitude: place.latitude)
            }
        )
        _ = try await Ingestion(store: store, database: database).ingest([row], at: now)
        let folded = try await FoldPreview(database: database, rules: rules).around(bay: bay, at: action.at, key: event.key)
        return StreetActionResult(clientID: action.clientID, kind: action.kind, outcome: .of(action, key: event.key, before: folded.without, after: folded.with))
    }

    /// Photos are uploaded (digest checked) before the action that refers to them.
    func requireUploaded(_ photos: [String], on sql: any SQLDatabase) async throws {
        guard !photos.isEmpty else { return }
        struct Row: Decodable { var sha256: String }
        let list = photos.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        let stored = Set(try await sql.raw("SELECT sha256 FROM evidence_images WHERE sha256 IN (\(list))").all(decoding: Row.self).map(\.sha256))
        if let missing = photos.first(where: { !stored.contains($0) }) { throw PatrolError.photoMissing(missing) }
    }

    /// The billed session of the bay that covers `at`, if any.
    func billedSession(bay: BayCode, at: Int64, on sql: any SQLDatabase) async throws -> String? {
        struct Row: Decodable { var id: String }
        return try await sql.raw("""
            SELECT id FROM parking_sessions WHERE bay_code = \(bind: bay.rawValue) AND start_ms <= \(bind: at) AND (end_ms IS NULL OR end_ms >= \(bind: at))
                AND status <> 'void' AND billed_ms IS NOT NULL
            """).first(decoding: Row.self)?.id
    }

    // MARK: - Cash

    /// Records cash taken for bills, in one transaction with the action, in the
    /// shift's name. The money was taken: where a bill was paid meanwhile (the
    /// action was queued offline), the excess is recorded and refunded at once.
    func cash(_ action: StreetAction, officer: Principal, shift: Shift, now: Int64) async throws -> (result: StreetActionResult, replayed: Bool) {
        guard !action.cash.isEmpty, action.cash.allSatisfy({ $0.fen > 0 }) else {
            throw PatrolError.invalid("A cash action needs each bill with the fen taken for it.")
        }
        return try await store.write(on: database) { db in
            let sql = db.sql
            if let stored = try await Self.result(of: action.clientID, officer: officer.subject, on: sql) { return (stored, true) }
            let ledger = try await BillLedger(sql: sql, kind: store.kind).load(action.cash.map(\.bill))
            if let unknown = action.cash.first(where: { ledger.balance($0.bill) == nil }) { throw BillingError.billNotFound(unknown.bill) }
            do throws(Ledger.Refusal) {
                try ledger.checkCash(action.cash.map { ($0.bill, $0.fen) })
            } catch {
                throw BillingError.ledger(error)
            }
            var payment = Payments.new(
                channel: .cash, purpose: .bills, citizen: nil, session: nil, allocations: action.cash.map { .init(bill: $0.bill, fen: $0.fen) }, now: now
            )
            payment.status = .paid
            payment.paidAt = action.at
            payment.transactionID = payment.id
            payment.collectedBy = officer.description
            try await Payments.insert(payment, on: sql)
            try await sql.raw("UPDATE payments SET shift_id = \(bind: shift.id) WHERE id = \(bind: payment.id)").run()
            let refunded = try await Payments.apply(payment, kind: store.kind, at: now, on: sql)
            let outcome = refunded == 0
                ? StreetOutcome(status: .applied, code: "collected", message: "Cash of \(payment.amountFen) fen was recorded.")
                : StreetOutcome(status: .conflict, code: "already_paid", message: "A bill was paid meanwhile: \(refunded) fen of the cash is recorded as owed back to the payer.")
            let result = StreetActionResult(clientID: action.clientID, kind: .cash, outcome: outcome, paymentID: payment.id, refundedFen: refunded)
            _ = try await Self.insert(result, action: action, officer: officer, shift: shift, now: now, on: sql)
            return (result, false)
        }
    }

    // MARK: - Notice

    /// Composes the notice an officer prints and leaves on the car: the plate's
    /// unpaid bills with their payment links, or how to pay for the stay.
    func notice(_ action: StreetAction, shift: Shift) async throws -> StreetActionResult {
        let sql = database.sql
        let (bay, _) = try await beatBay(action.bay, shift: shift, on: sql)
        let parked = try await FoldPreview(database: database, rules: rules).sessions(bay: bay, at: action.at)
            .last { $0.start <= action.at && ($0.end ?? .max) >= action.at }
        guard let plate = action.plate ?? parked?.plate?.plate else {
            throw PatrolError.invalid("No plate is known for bay \(bay.rawValue); give the plate.")
        }
        let colour = action.colour ?? parked?.plate?.colour ?? .blue
        let bills = try await Bills(store: store, database: database).bills(plate: plate.text, colour: colour).sorted { $0.bill.number < $1.bill.number }
        let links = bills.map { link($0.payToken) }
        let text: String
        if bills.isEmpty {
            text = "【路侧停车】\(plate.text) 在泊位 \(bay.rawValue) 停放，离场后将按时长计费，请按车牌缴纳停车费。"
        } else {
            let owed = bills.reduce(0) { $0 + $1.outstandingFen }
            text = "【路侧停车】\(plate.text) 尚有 \(bills.count) 笔停车费未缴，共 \(Money.yuan(owed)) 元：" + zip(bills, links).map {
                "账单 \($0.bill.number) \(Money.yuan($0.outstandingFen)) 元 \($1)"
            }.joined(separator: "；") + "。"
        }
        return StreetActionResult(
            clientID: action.clientID, kind: .notice,
            outcome: StreetOutcome(status: .applied, code: "issued", message: "The notice was issued.", sessionID: parked?.id),
            noticeText: text, links: links
        )
    }
}
