/// Decides what a closed session is billed: pure, so that issuing and any
/// later re-issue after a correction give the same bill for the same inputs.
public struct BillIssuer: Sendable {
    /// Why a session gets no bill.
    public enum NoBill: Sendable, Equatable {
        /// Still parked.
        case open
        /// Left open through a device outage: patrol confirms the stay first.
        case outage
        /// No plate was read: patrol enters it first.
        case noPlate
        /// The camera's text is no plate of GA 36: patrol reads it first.
        case plateUnrecognised
        /// The stay cannot be priced (longer than the tariff engine prices).
        case unpriceable(QuoteError)
        /// The stay ended inside the free period: on record, nothing to pay.
        case freePeriod
    }

    public enum Decision: Sendable, Equatable {
        case none(NoBill)
        case bill(Bill)
    }

    /// Days from issue to the due date.
    public var dueDays: Int

    public init(dueDays: Int = 30) {
        self.dueDays = dueDays
    }

    /// The bill for `session` in zone `zoneID` of class `zoneClass` priced by `engine`,
    /// given the plate's permits, issued at `now` (UTC ms) as `number`. The
    /// number is the caller's to choose, and must say nothing of bay or time:
    /// it is shown to whoever looks a plate up.
    public func decide(
        _ session: ParkingSession, zoneID: String, zoneClass: ZoneClass, engine: TariffEngine, permits: [Permit], number: String, now: Int64
    ) -> Decision {
        guard let end = session.end else { return .none(.open) }
        guard !session.flags.contains(.outage) else { return .none(.outage) }
        guard let read = session.plate else { return .none(.noPlate) }
        guard read.plate.kind != .unrecognised else { return .none(.plateUnrecognised) }
        let permit = permits.first { $0.plate == read.plate.text && $0.covers(zone: zoneID, from: session.start, to: end) }
        var vehicle = VehicleClass.of(read.plate, colour: read.colour)
        if permit?.kind == .disabled { vehicle = .disabled }
        let waived = vehicle == .exempt || [.exempt, .monthly, .resident].contains(permit?.kind)
        // A waived stay is priced as the car would otherwise pay, so that exemptions show in the ledger at their worth.
        let priced = vehicle == .exempt ? VehicleClass.small : vehicle
        let quote: Quote
        do {
            quote = try engine.quote(zoneClass: zoneClass, vehicle: priced, from: session.start / 1000, to: end / 1000)
        } catch {
            return .none(.unpriceable(error))
        }
        guard quote.amountFen > 0 else { return .none(.freePeriod) }

        let text = QuoteText(tariff: engine.tariff, clock: engine.clock)
        var lines = quote.lines.map {
            BillLine(kind: $0.kind.rawValue, from: $0.from * 1000, to: $0.to * 1000, amountFen: $0.amountFen, text: text.describe($0, in: quote))
        }
        let basis: Bill.Basis = !waived ? .charged : permit.map { $0.kind == .exempt ? .exempt : .permit } ?? .exempt
        if waived {
            let why = switch basis {
            case .permit: "\(permit!.kind == .monthly ? "月租" : "居民")停车证 \(permit!.id) 覆盖本次停车，免收"
            default: permit.map { "免费车辆名单 \($0.id)，免收" } ?? "\(Self.exemptName(read.plate.kind))，免收"
            }
            lines.append(BillLine(kind: "waiver", from: session.start, to: end, amountFen: -quote.amountFen, text: why))
        }
        return .bill(Bill(
            number: number, sessionID: session.id, bay: session.bay.rawValue, zoneID: zoneID,
            plate: read.plate.text, plateColour: read.colour, start: session.start, end: end,
            tariffID: quote.tariffID, tariffVersion: quote.tariffVersion, vehicle: vehicle, chargeFen: quote.amountFen,
            waivedFen: waived ? quote.amountFen : 0, basis: basis, permitID: permit?.id, lines: lines, evidence: session.evidence,
            issuedAt: now, dueAt: now + Int64(dueDays) * Milliseconds.day
        ))
    }

    /// How a waiver line names a plate kind the city exempts.
    static func exemptName(_ kind: Plate.Kind) -> String {
        switch kind {
        case .police: "警车"
        case .armedPolice: "武警车辆"
        case .military: "军车"
        default: "应急救援车辆"
        }
    }
}
