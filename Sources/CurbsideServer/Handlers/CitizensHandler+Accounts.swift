import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation
import Logging

extension CitizensHandler {
    /// Citizen tokens last a week; signing in again is one code away.
    static let citizenTokenLifetime: TimeInterval = 7 * 86_400

    func requestSignInCode(_ input: Operations.RequestSignInCode.Input) async throws -> Operations.RequestSignInCode.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let phone = try InputValidation.phone(request.phone)
        let edge = guards.settings
        let limits = Citizens.CodeLimits(perPhone: edge.codesPerPhone.limit, window: Int64(edge.codesPerPhone.period * 1000), perHour: edge.codesPerHour)
        let code = try await Citizens(store: store, database: try database).newCode(phone: phone, address: guards.clientAddress, limits: limits, now: now)
        let language = try await Citizens(store: store, database: try database).language(phone: phone)
        let parameters = ["code": code]
        // Sent now, never through the outbox: a code must not wait behind reminders, nor outlive its five minutes in a queue.
        do {
            _ = try await notifier.send(OutgoingMessage(
                id: "sign-in-\(phone)-\(now)", recipient: "sms:\(phone)", kind: .signInCode, parameters: parameters, language: language,
                text: "【\(configuration.sms.signName)】" + texts.text(.signInCode, language: language).render(parameters), secrets: [code]
            ))
        } catch let refusal as NotifierRefusal where refusal.isAboutRecipient {
            throw APIError.invalid(CitizenErrorCode.phoneUnreachable, "The SMS provider will not send to this number (\(refusal.code)).")
        } catch {
            Logger(label: "curbside.citizens").warning("sign-in code not sent", metadata: ["error": "\(error)"])
            throw APIError(.badGateway, CitizenErrorCode.smsUnavailable, "The text message could not be sent now; ask again in a minute.")
        }
        return .accepted(.init())
    }

    func signIn(_ input: Operations.SignIn.Input) async throws -> Operations.SignIn.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let phone = try InputValidation.phone(request.phone)
        let citizen = try await Citizens(store: store, database: try database).signIn(phone: phone, code: request.code, now: now)
        // Tokens are checked against the system clock, so they are issued by it too.
        let issued = Date()
        let token = try await tokens.issue(for: Principal(subject: citizen, role: .citizen), validFor: Self.citizenTokenLifetime, now: issued)
        return .ok(.init(body: .json(.init(token: token, citizenId: citizen, expiresAt: issued.addingTimeInterval(Self.citizenTokenLifetime)))))
    }

    func listMyPlates(_ input: Operations.ListMyPlates.Input) async throws -> Operations.ListMyPlates.Output {
        let citizen = try principal.subject
        let plates = try await Citizens(store: store, database: try database).plates(citizen)
        let methods = try await AutoPay(store: store, database: try database).methods(citizen: citizen)
        return .ok(.init(body: .json(.init(items: plates.map { Components.Schemas.BoundPlate($0, autoPay: methods["\($0.plate)/\($0.colour.rawValue)"]) }))))
    }

    func bindPlate(_ input: Operations.BindPlate.Input) async throws -> Operations.BindPlate.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let plate = try InputValidation.plate(request.plate)
        let bound = try await Citizens(store: store, database: try database)
            .bind(citizen: try principal.subject, plate: plate, colour: request.colour.domain, noticeToken: request.noticeToken, now: now)
        return .created(.init(body: .json(.init(bound))))
    }

    func unbindPlate(_ input: Operations.UnbindPlate.Input) async throws -> Operations.UnbindPlate.Output {
        let plate = try InputValidation.plate(input.path.plate)
        guard try await Citizens(store: store, database: try database).unbind(citizen: try principal.subject, plate: plate, colour: input.query.colour.domain) else {
            throw APIError.notFound(CitizenErrorCode.boundPlateNotFound, plate)
        }
        return .noContent(.init())
    }

    func listMyBills(_ input: Operations.ListMyBills.Input) async throws -> Operations.ListMyBills.Output {
        let database = try database
        let bills = Bills(store: store, database: database)
        var items: [StoredBill] = []
        for plate in try await Citizens(store: store, database: database).plates(try principal.subject) {
            items += try await bills.bills(plate: plate.plate, colour: plate.colour, all: true)
        }
        items.sort { $0.bill.start > $1.bill.start }
        return .ok(.init(body: .json(.init(
            items: items.map { .init($0, masked: false, clock: clock(of: $0)) }, totalDueFen: items.reduce(0) { $0 + $1.outstandingFen }
        ))))
    }

    func listMyPayments(_ input: Operations.ListMyPayments.Input) async throws -> Operations.ListMyPayments.Output {
        let payments = try await Payments(store: store, database: try database).payments(citizen: try principal.subject)
        return .ok(.init(body: .json(.init(items: payments.map { .init($0, notifyURL: nil) }))))
    }

    func getMyWallet(_ input: Operations.GetMyWallet.Input) async throws -> Operations.GetMyWallet.Output {
        .ok(.init(body: .json(.init(balanceFen: try await Payments(store: store, database: try database).walletBalance(try principal.subject)))))
    }
}

extension Components.Schemas.BoundPlate {
    init(_ bound: Citizens.BoundPlate, autoPay: AutoPayMethod? = nil) {
        self.init(plate: bound.plate, colour: .init(bound.colour), boundAt: Date(milliseconds: bound.boundAt), autoPay: autoPay.flatMap { .init(rawValue: $0.rawValue) })
    }
}
