import CurbsideAPI
import CurbsideCore
import CurbsideRender
import CurbsideStore
import Foundation
import OpenAPIRuntime

/// The citizen's pay pages: a notice's link and a bay's sign.
extension BillingHandler {
    func payPage(_ input: Operations.PayPage.Input) async throws -> Operations.PayPage.Output {
        let token = input.path.token
        let text = PayPageText(.init(query: input.query.lang?.rawValue, acceptLanguage: input.headers.acceptLanguage), path: "/p/\(token)")
        guard let stored = try await Bills(store: store, database: try database).bill(token: token) else {
            return .notFound(.init(body: .html(HTTPBody(PayPage(text: text, state: .unknown, heading: text[.unknown]).html))))
        }
        let bill = stored.bill
        let zone = clock(of: stored)
        func local(_ ms: Int64) -> String { Self.localTime(ms, in: zone) }
        var page = PayPage(text: text, state: .unpaid, heading: text[.due])
        switch stored.status {
        case .void: (page.state, page.heading) = (.void, text[.void])
        case .settled: (page.state, page.heading) = (.paid, text[.paid])
        case .unpaid where stored.appeal == Appeal.Status.inProgress.rawValue: (page.state, page.heading) = (.appealed, text[.appealed])
        case .unpaid: break
        }
        page.facts = [
            .init(label: text[.bill], value: bill.number), .init(label: text[.plate], value: bill.plate), .init(label: text[.bay], value: bill.bay),
            .init(label: text[.start], value: local(bill.start)), .init(label: text[.end], value: local(bill.end)),
            .init(label: text[.tariff], value: "\(bill.tariffID) v\(bill.tariffVersion)"),
        ]
        if stored.status == .unpaid { page.facts.append(.init(label: text[.dueOn], value: String(local(bill.dueAt).prefix(10)))) }
        page.lines = bill.lines.map { .init(text: $0.text, fen: $0.amountFen) }
        page.evidence = bill.evidence.prefix(6).map { "/p/\(token)/evidence/\($0)" }
        page.dueFen = stored.outstandingFen
        page.receipts = try await Payments(store: store, database: try database).payments(bill: bill.number).filter { $0.status == .paid }.map {
            .init(id: $0.id, channel: $0.channel, fen: $0.amountFen, transactionID: $0.transactionID, paidAt: local($0.paidAt ?? $0.createdAt))
        }
        let lang = input.query.lang.map { "?lang=\($0.rawValue)" } ?? ""
        page.buttons = buttons(userAgent: input.headers.userAgent, openID: input.query.openid)
        page.payment = ["bill": bill.number, "done": "/p/\(token)\(lang)"]
        page.payment["pay"] = input.query.pay?.rawValue
        page.payment["openid"] = input.query.openid
        return .ok(.init(body: .html(HTTPBody(page.html))))
    }

    func bayPage(_ input: Operations.BayPage.Input) async throws -> Operations.BayPage.Output {
        let code = input.path.code
        let text = PayPageText(.init(query: input.query.lang?.rawValue, acceptLanguage: input.headers.acceptLanguage), path: "/b/\(code)")
        let stay: (session: StoredSession, quote: Quote, engine: TariffEngine)
        do {
            stay = try await parkedStay(code, minutesMore: 0)
        } catch let error as APIError where error.status == .notFound || error.status == .unprocessableEntity || error.status == .badRequest {
            return .notFound(.init(body: .html(HTTPBody(PayPage(text: text, state: .unknown, heading: text[.noCar]).html))))
        }
        let row = stay.session.row
        let prepaid = try await Payments(store: store, database: try database).prepaid(session: row.id)
        var page = PayPage(text: text, state: .parked, heading: text[.parked])
        page.facts = [
            .init(label: text[.bay], value: row.bay), .init(label: text[.plate], value: row.plate.map(Plate.masked) ?? ""),
            .init(label: text[.stayFrom], value: Self.localTime(row.start, in: stay.engine.clock)),
            .init(label: text[.tariff], value: "\(stay.quote.tariffID) v\(stay.quote.tariffVersion)"),
            .init(label: text[.soFar], value: PayPage.yuan(stay.quote.amountFen)), .init(label: text[.prepaid], value: PayPage.yuan(prepaid)),
        ]
        page.dueFen = max(0, stay.quote.amountFen - prepaid)
        let lang = input.query.lang.map { "?lang=\($0.rawValue)" } ?? ""
        page.buttons = buttons(userAgent: input.headers.userAgent, openID: input.query.openid)
        page.payment = ["bay": row.bay, "done": "/b/\(code)\(lang)"]
        page.payment["openid"] = input.query.openid
        return .ok(.init(body: .html(HTTPBody(page.html))))
    }

    func getPayLinkEvidence(_ input: Operations.GetPayLinkEvidence.Input) async throws -> Operations.GetPayLinkEvidence.Output {
        guard let stored = try await Bills(store: store, database: try database).bill(token: input.path.token),
              stored.bill.evidence.contains(input.path.sha256),
              let image = try await Evidence(store: store, database: try database, objects: evidence).image(sha256: input.path.sha256)
        else { throw APIError.notFound(IngestErrorCode.imageNotFound, input.path.sha256) }
        let body = HTTPBody(image.bytes)
        return .ok(.init(body: image.contentType == "image/png" ? .png(body) : .jpeg(body)))
    }

    func getPaymentQR(_ input: Operations.GetPaymentQR.Input) async throws -> Operations.GetPaymentQR.Output {
        guard let payment = try await Payments(store: store, database: try database).payment(input.path.paymentId), let code = payment.orderCode else {
            throw APIError.notFound(BillingErrorCode.paymentNotFound, input.path.paymentId)
        }
        return .ok(.init(body: .png(HTTPBody(try QRCode(code).image(scale: 6).encoded()))))
    }

    /// A button per channel that places orders here, paying as the payer's app allows: inside WeChat only WeChat
    /// Pay (JSAPI with the payer's openid, else a QR code to press and hold), inside Alipay only Alipay (its wap
    /// page), anywhere else a QR code of WeChat Pay, Alipay or UnionPay, or the acquirer's page for a bank card.
    /// ETC accounts are debited where the car is recognised, not from a page.
    func buttons(userAgent: String?, openID: String?) -> [PayPage.Button] {
        let agent = userAgent ?? ""
        if agent.contains("MicroMessenger") {
            return orders.placing.contains(.wechat) ? [.init(channel: .wechat, scene: openID == nil ? "qr" : "in_app")] : []
        }
        if agent.contains("AlipayClient") {
            return orders.placing.contains(.alipay) ? [.init(channel: .alipay, scene: "mobile_web")] : []
        }
        return orders.placing.compactMap { channel in
            switch channel {
            case .etc: nil
            case .bankCard: .init(channel: channel, scene: "mobile_web")
            default: .init(channel: channel, scene: "qr")
            }
        }
    }

    /// `yyyy-MM-dd HH:mm` on the zone's clock.
    static func localTime(_ ms: Int64, in clock: ZoneClock) -> String {
        let text = LocalDateTime.format(Date(milliseconds: ms).seconds, in: clock)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }
}
