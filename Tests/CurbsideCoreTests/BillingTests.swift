import CurbsideCore
import CurbsideTestThreads
import Testing

@Suite("Billing: what a closed session is billed", .ownThread)
struct BillingTests {
    static let clock = ZoneClock(identifier: "Asia/Shanghai")!
    static let issuedAt = LocalDateTime.instant("2026-11-20T12:00:00+08:00", in: clock)! * 1000

    /// A closed session in bay 10010019 between two local times, with a plate read.
    static func session(
        _ from: String, _ to: String?, plate: String? = "粤J12345", colour: PlateColour = .blue, flags: ParkingSession.Flags = []
    ) throws -> ParkingSession {
        let start = LocalDateTime.instant("2026-11-20T\(from):00+08:00", in: clock)! * 1000
        let end = to.map { LocalDateTime.instant("2026-11-20T\($0):00+08:00", in: clock)! * 1000 }
        let read = try plate.map { PlateRead(plate: try Plate(parsing: $0), colour: colour, confidence: 950, images: ["a", "b"]) }
        return ParkingSession(
            bay: try BayCode(parsing: "10010019"), start: start, end: end, plate: read, plateSource: nil, quality: .videoConfirmed,
            flags: flags, evidence: ["a", "b"], lastEvidence: end ?? start
        )
    }

    static func decide(_ session: ParkingSession, permits: [Permit] = []) throws -> BillIssuer.Decision {
        BillIssuer().decide(session, zoneID: "SP1", zoneClass: .one, engine: try TariffFiles.engine("heshan"), permits: permits, number: "B2TESTBILL", now: issuedAt)
    }

    static func bill(_ session: ParkingSession, permits: [Permit] = []) throws -> Bill {
        guard case let .bill(bill) = try decide(session, permits: permits) else {
            Issue.record("no bill")
            throw CancellationError()
        }
        #expect(bill.lines.reduce(0) { $0 + $1.amountFen } == bill.amountDueFen, "every fen of the bill is on a line")
        return bill
    }

    @Test("A charged stay: the tariff's price, line by line, due in 30 days")
    func charged() throws {
        let bill = try Self.bill(try Self.session("09:00", "10:10"))
        #expect(bill.number == "B2TESTBILL")
        #expect(bill.chargeFen == 600)
        #expect(bill.amountDueFen == 600)
        #expect(bill.basis == .charged)
        #expect(bill.vehicle == .small)
        #expect(bill.tariffID == "heshan")
        #expect(bill.lines.map(\.kind) == ["metered"])
        #expect(!bill.lines[0].text.isEmpty)
        #expect(bill.dueAt == Self.issuedAt + 30 * 86_400_000)
        #expect(bill.evidence == ["a", "b"])
    }

    @Test("Plate colour and kind choose the vehicle class", arguments: [
        ("粤J12345", PlateColour.blue, VehicleClass.small, 600), ("粤J12345", .yellow, .large, 1200), ("粤JD12345", .green, .nev, 300),
    ])
    func vehicleClass(plate: String, colour: PlateColour, vehicle: VehicleClass, fen: Int) throws {
        let bill = try Self.bill(try Self.session("09:00", "10:10", plate: plate, colour: colour))
        #expect(bill.vehicle == vehicle)
        #expect(bill.amountDueFen == fen)
    }

    @Test("A stay inside the free period gets no bill")
    func freePeriod() throws {
        #expect(try Self.decide(try Self.session("09:00", "09:29")) == .none(.freePeriod))
    }

    @Test("Sessions not ready to bill: still open, through an outage, or without a plate")
    func notBillable() throws {
        #expect(try Self.decide(try Self.session("09:00", nil)) == .none(.open))
        #expect(try Self.decide(try Self.session("09:00", "11:00", flags: .outage)) == .none(.outage))
        #expect(try Self.decide(try Self.session("09:00", "11:00", plate: nil)) == .none(.noPlate))
    }

    @Test("Police plates and the exemption whitelist get a zero bill that says why, worth what the stay would cost")
    func exempt() throws {
        let police = try Self.bill(try Self.session("09:00", "10:10", plate: "粤A1234警", colour: .white))
        #expect(police.basis == .exempt)
        #expect(police.vehicle == .exempt)
        #expect(police.chargeFen == 600)
        #expect(police.waivedFen == 600)
        #expect(police.amountDueFen == 0)
        #expect(police.lines.last?.kind == "waiver")
        #expect(police.lines.last?.text.contains("警车") == true)

        let ambulance = Permit(id: "W-7", kind: .exempt, plate: "粤J12345", zoneID: nil, from: 0, until: .max)
        let bill = try Self.bill(try Self.session("09:00", "10:10"), permits: [ambulance])
        #expect(bill.basis == .exempt)
        #expect(bill.permitID == "W-7")
        #expect(bill.amountDueFen == 0)
    }

    @Test("A permit covers a stay only in its zone and only if it runs for the whole stay")
    func permits() throws {
        let session = try Self.session("09:00", "10:10")
        let monthly = Permit(id: "M-1", kind: .monthly, plate: "粤J12345", zoneID: "SP1", from: session.start - 86_400_000, until: session.end! + 1)
        let covered = try Self.bill(session, permits: [monthly])
        #expect(covered.basis == .permit)
        #expect(covered.amountDueFen == 0)
        #expect(covered.waivedFen == 600)
        #expect(covered.lines.last?.text.contains("M-1") == true)

        var elsewhere = monthly
        elsewhere.zoneID = "SP2"
        #expect(try Self.bill(session, permits: [elsewhere]).amountDueFen == 600)
        var lapsing = monthly
        lapsing.until = session.end! - 60_000
        #expect(try Self.bill(session, permits: [lapsing]).amountDueFen == 600)
        var otherPlate = monthly
        otherPlate.plate = "粤J54321"
        #expect(try Self.bill(session, permits: [otherPlate]).amountDueFen == 600)
    }
}
