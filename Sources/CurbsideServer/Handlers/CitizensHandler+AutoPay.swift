import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Logging

/// Non-stop payment, as a citizen sets it up: a bound plate set to pay from
/// the wallet, through WeChat Pay's parking service, which WeChat Pay must
/// say is open for the plate (WeChat linked first, CitizensHandler+WeChat),
/// or by Alipay's parking deduction, whose agreement Alipay must say the
/// plate's owner signed.
extension CitizensHandler {
    func setAutoPay(_ input: Operations.SetAutoPay.Input) async throws -> Operations.SetAutoPay.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let plate = try InputValidation.plate(input.path.plate)
        let colour = request.colour.domain
        let citizen = try principal.subject
        let database = try database
        guard let bound = try await Citizens(store: store, database: database).plates(citizen).first(where: { $0.plate == plate && $0.colour == colour }) else {
            throw APIError.notFound(CitizenErrorCode.boundPlateNotFound, plate)
        }
        let method = AutoPayMethod(rawValue: request.method.rawValue) ?? .wallet
        let autoPay = AutoPay(store: store, database: database)
        switch method {
        case .wechat: try await checkParkingService(plate: plate, colour: colour, citizen: citizen, autoPay: autoPay)
        case .alipay: try await checkAlipayAgreement(plate: plate)
        case .wallet: break
        }
        try await autoPay.enable(citizen: citizen, plate: plate, colour: colour, method: method, now: now)
        return .ok(.init(body: .json(.init(bound, autoPay: method))))
    }

    func stopAutoPay(_ input: Operations.StopAutoPay.Input) async throws -> Operations.StopAutoPay.Output {
        let plate = try InputValidation.plate(input.path.plate)
        guard try await AutoPay(store: store, database: try database).disable(citizen: try principal.subject, plate: plate, colour: input.query.colour.domain) else {
            throw APIError.notFound(CitizenErrorCode.boundPlateNotFound, plate)
        }
        return .noContent(.init())
    }

    /// WeChat Pay charges a plate only when the user opened its parking service for it and has not paused it.
    private func checkParkingService(plate: String, colour: PlateColour, citizen: String, autoPay: AutoPay) async throws {
        guard let wechat = orders.wechat else {
            throw APIError(.notFound, BillingErrorCode.channelNotConfigured, "WeChat Pay is not configured on this server.")
        }
        guard let openID = try await autoPay.weChatOpenID(citizen: citizen) else {
            throw APIError(.conflict, CitizenErrorCode.wechatNotLinked, "Link WeChat first (PUT /v1/citizen/wechat with a login code from the mini-program).")
        }
        guard let wechatColour = WeChatParking.colour(colour) else {
            throw APIError(.conflict, CitizenErrorCode.parkingServiceNotOpen, "WeChat Pay's parking service takes plates of a known colour only.")
        }
        let state: WeChatParking.ServiceState
        do {
            state = try await wechat.parkingService(plate: plate, colour: wechatColour, openID: openID)
        } catch {
            Logger(label: "curbside.citizens").warning("parking service not looked up", metadata: ["error": "\(error)"])
            throw APIError(.badGateway, BillingErrorCode.channelUnavailable, "WeChat Pay did not answer; try again in a moment.")
        }
        guard state == .normal else {
            throw APIError(.conflict, CitizenErrorCode.parkingServiceNotOpen, state == .paused
                ? "You paused WeChat Pay's parking service for \(plate); resume it in WeChat first."
                : "Open WeChat Pay's parking service (微信支付分停车服务) for \(plate) in WeChat first.")
        }
    }

    /// Alipay charges a plate only under the deduction agreement its owner signed for our lot (车牌代扣).
    private func checkAlipayAgreement(plate: String) async throws {
        guard let (alipay, parkingID) = orders.alipayParking else {
            throw APIError(.notFound, BillingErrorCode.channelNotConfigured, "Alipay's parking deduction is not configured on this server.")
        }
        let signed: Bool
        do {
            signed = try await alipay.parkingAgreement(plate: plate, parkingID: parkingID)
        } catch {
            Logger(label: "curbside.citizens").warning("Alipay parking agreement not looked up", metadata: ["error": "\(error)"])
            throw APIError(.badGateway, BillingErrorCode.channelUnavailable, "Alipay did not answer; try again in a moment.")
        }
        guard signed else {
            throw APIError(.conflict, CitizenErrorCode.parkingServiceNotOpen, "Sign Alipay's parking deduction (停车代扣) for \(plate) in Alipay first.")
        }
    }
}
