import CurbsideAPI
import CurbsideCore
import CurbsideRender
import CurbsideStore
import Foundation
import OpenAPIRuntime

extension BillingHandler {
    func findBills(_ input: Operations.FindBills.Input) async throws -> Operations.FindBills.Output {
        let plate = try InputValidation.plate(input.query.plate)
        let colour = input.query.colour.domain
        try await auditPlateLookup(plate, colour: colour, reason: input.query.reason, operation: "findBills")
        let bills = try await Bills(store: store, database: try database).bills(plate: plate, colour: colour)
        let masked = try await isMasked(plate: plate, colour: colour)
        return .ok(.init(body: .json(.init(
            items: bills.map { .init($0, masked: masked, clock: clock(of: $0)) }, totalDueFen: bills.reduce(0) { $0 + $1.outstandingFen }
        ))))
    }

    func getBillForPayment(_ input: Operations.GetBillForPayment.Input) async throws -> Operations.GetBillForPayment.Output {
        guard let bill = try await Bills(store: store, database: try database).bill(input.path.number) else { throw APIError.notFound(BillingErrorCode.billNotFound, input.path.number) }
        let masked = try await isMasked(plate: bill.bill.plate, colour: bill.bill.plateColour)
        return .ok(.init(body: .json(.init(bill, masked: masked, clock: clock(of: bill)))))
    }

    func openPayLink(_ input: Operations.OpenPayLink.Input) async throws -> Operations.OpenPayLink.Output {
        guard let bill = try await Bills(store: store, database: try database).bill(token: input.path.token) else { throw APIError.notFound(BillingErrorCode.payLinkNotFound, input.path.token) }
        return .ok(.init(body: .json(.init(bill, masked: false, clock: clock(of: bill)))))
    }

    func getPayLinkQR(_ input: Operations.GetPayLinkQR.Input) async throws -> Operations.GetPayLinkQR.Output {
        guard let bill = try await Bills(store: store, database: try database).bill(token: input.path.token) else { throw APIError.notFound(BillingErrorCode.payLinkNotFound, input.path.token) }
        let png = try QRCode(payLink(bill.payToken)).image(scale: 6).encoded()
        return .ok(.init(body: .png(HTTPBody(png))))
    }

    func getBayStay(_ input: Operations.GetBayStay.Input) async throws -> Operations.GetBayStay.Output {
        let stay = try await parkedStay(input.path.code, minutesMore: 0)
        let prepaid = try await Payments(store: store, database: try database).prepaid(session: stay.session.row.id)
        let row = stay.session.row
        return .ok(.init(body: .json(.init(
            bay: row.bay, sessionId: row.id, start: Date(milliseconds: row.start), plate: row.plate.map(Plate.masked) ?? "",
            plateColour: .init(rawValue: row.plateColour ?? "unknown") ?? .unknown, amountSoFarFen: stay.quote.amountFen, prepaidFen: prepaid,
            quote: .init(stay.quote, engine: stay.engine, zoneID: row.zoneID, bayCode: row.bay)
        ))))
    }

    func createPayment(_ input: Operations.CreatePayment.Input) async throws -> Operations.CreatePayment.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let channel = PaymentChannel(rawValue: request.channel.rawValue)!
        let caller = RequestContext.principal
        let citizen = caller?.role == .citizen ? caller?.subject : nil
        guard channels.accepts(channel) else {
            throw APIError.invalid(BillingErrorCode.channelNotConfigured, "Payments through \(channel.rawValue) are not taken here: the channel is not configured.")
        }
        if channel == .cash, ![.patrol, .finance, .admin].contains(caller?.role) {
            throw caller == nil ? APIError.unauthenticated : APIError(.forbidden, AccessErrorCode.forbidden, "Only patrol and finance staff take cash.")
        }
        // Cash taken on the street belongs to the officer's open shift.
        var shift: String?
        if channel == .cash, let caller, caller.role == .patrol {
            guard let current = try await Shifts(store: store, database: try database).current(caller.subject) else { throw PatrolError.noShift }
            shift = current.id
        }
        if channel == .wallet, citizen == nil {
            throw caller == nil ? APIError.unauthenticated : APIError(.forbidden, AccessErrorCode.forbidden, "Only a signed-in citizen pays from a wallet.")
        }
        let scene = request.scene.map { ChannelOrders.Scene(rawValue: $0.rawValue)! }
        if let scene { try orders.check(channel, scene: scene, openID: request.openid) }
        let given = [request.bills != nil, request.bay != nil, request.topUpFen != nil].filter { $0 }.count
        guard given == 1 else { throw APIError.invalid(BillingErrorCode.paymentPurpose, "Give exactly one of bills, bay and top_up_fen.") }
        let payments = Payments(store: store, database: try database)
        let payment: CurbsideStore.Payment
        if let bills = request.bills {
            payment = try await payments.payBills(bills, channel: channel, citizen: citizen, collectedBy: channel == .cash ? caller : nil, shift: shift, now: now)
        } else if let bay = request.bay {
            guard channel != .cash else { throw APIError.invalid(BillingErrorCode.prepayChannel, "Prepay through a channel or the wallet; cash is taken against bills.") }
            let stay = try await parkedStay(bay, minutesMore: request.minutesMore ?? 0)
            let owed = stay.quote.amountFen - (try await payments.prepaid(session: stay.session.row.id))
            guard owed > 0 else { throw APIError.invalid(BillingErrorCode.nothingToPrepay, "The stay so far is paid for (or still inside the free period).") }
            payment = try await payments.prepay(session: stay.session.row.id, fen: owed, channel: channel, citizen: citizen, now: now)
        } else {
            guard let citizen else { throw caller == nil ? APIError.unauthenticated : APIError(.forbidden, AccessErrorCode.forbidden, "Only a citizen tops up a wallet.") }
            guard channel != .cash, channel != .wallet else { throw APIError.invalid(BillingErrorCode.topUpChannel, "Top up through a payment channel.") }
            payment = try await payments.topUp(citizen: citizen, fen: request.topUpFen!, channel: channel, now: now)
        }
        var created = Components.Schemas.Payment(payment, notifyURL: orders.notifyURL(channel))
        if let scene, let notify = created.notifyUrl {
            // Followed up from before the order is sent: an order placed by a server that stopped before hearing
            // the answer is still queried, and closed.
            try await OrderChecks(store: store, database: try database).placed(payment.id, at: now)
            created.orderPlacedAt = Date(milliseconds: now)
            let payWith = try await orders.place(payment, scene: scene, openID: request.openid, notifyURL: notify, returnURL: try await returnURL(request))
            if let code = payWith.qrCode { try await OrderChecks(store: store, database: try database).coded(payment.id, code: code) }
            created.payWith = payWith
        }
        return .created(.init(body: .json(created)))
    }

    func getPayment(_ input: Operations.GetPayment.Input) async throws -> Operations.GetPayment.Output {
        let payments = Payments(store: store, database: try database)
        guard var payment = try await payments.payment(input.path.paymentId) else {
            throw APIError.notFound(BillingErrorCode.paymentNotFound, input.path.paymentId)
        }
        // A phone waiting for its payment asks once and is answered when it settles (read every quarter second).
        let deadline = ContinuousClock.now + .seconds(min(max(input.query.wait ?? 0, 0), 20))
        while payment.status == .pending, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            payment = try await payments.payment(payment.id) ?? payment
        }
        return .ok(.init(body: .json(.init(payment, notifyURL: orders.notifyURL(payment.channel)))))
    }

    /// Where a channel's page sends the payer back: the page they paid from.
    func returnURL(_ request: Components.Schemas.PaymentRequest) async throws -> String {
        let base = configuration.billing.publicURL
        if let number = request.bills?.first, let bill = try await Bills(store: store, database: try database).bill(number) {
            return payLink(bill.payToken)
        }
        if let bay = request.bay { return "\(base)/b/\(bay.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? bay)" }
        return base
    }

    // MARK: - Shared

    /// Whether the caller sees a plate's bills masked: everyone but staff and citizens who bound it.
    func isMasked(plate: String, colour: CurbsideCore.PlateColour) async throws -> Bool {
        guard let caller = RequestContext.principal else { return true }
        switch caller.role {
        case .admin, .operator, .finance, .auditor, .patrol: return false
        case .gateway: return true
        case .citizen: return !(try await Citizens(store: store, database: try database).isBound(citizen: caller.subject, plate: plate, colour: colour))
        }
    }

    func payLink(_ token: String) -> String {
        configuration.billing.payLink(token)
    }

    /// The open session in a bay, priced from its start to now plus `minutesMore`.
    func parkedStay(_ code: String, minutesMore: Int) async throws -> (session: StoredSession, quote: Quote, engine: TariffEngine) {
        let registry = try registry
        let bay = try await resolveBayCode(code, in: registry)
        guard let zoneID = try await registry.bay(bay)?.zoneID, let zone = try await registry.zone(zoneID) else { throw APIError.notFound(RegistryErrorCode.bayNotFound, bay.rawValue) }
        let sessions = try await SessionQueries(database: try database)
            .list(SessionFilter(bay: bay, status: .open), outage: configuration.ingest.fusion.outage, now: now, limit: 1)
        guard let session = sessions.last else { throw APIError(.notFound, BillingErrorCode.noCarParked, "No car is parked in bay \(bay.rawValue) now.") }
        // A prepayment covers at most the tariff's longest day beyond now, whatever the contract allows.
        guard (0...TariffEngine.longestDayMinutes).contains(minutesMore) else {
            throw APIError.invalid(BillingErrorCode.prepayTooLong, "A prepayment covers at most \(TariffEngine.longestDayMinutes) minutes beyond now.")
        }
        let until = now / 1000 + Int64(minutesMore) * 60
        guard let engine = tariffs.engine(id: zone.spec.tariffID, at: session.row.start / 1000) else {
            throw APIError.invalid(TariffErrorCode.noTariffInForce, "Tariff \(zone.spec.tariffID) has no version in force on that day.")
        }
        let vehicle = session.row.parkingSession?.plate.map { VehicleClass.of($0.plate, colour: $0.colour) } ?? .small
        do {
            let quote = try engine.quote(zoneClass: zone.spec.zoneClass, vehicle: vehicle == .exempt ? .small : vehicle, from: session.row.start / 1000, to: max(until, session.row.start / 1000))
            return (session, quote, engine)
        } catch {
            throw APIError.invalid(TariffErrorCode.stayTooLong, error.description)
        }
    }
}
