import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Crypto
import CryptoExtras
import Foundation
import NIOCore

/// Places a payment's order with its channel, for the channels whose merchant
/// keys are configured (WeChat Pay, Alipay, and the acquirer for UnionPay,
/// bank cards and ETC), and says what the page needs to have it paid; asks
/// the channel about an order, closes it, and sends refunds back. Built once
/// at start; a bad key stops the start with the variable named.
struct ChannelOrders: Sendable {
    /// What the channel says of an order when asked.
    enum OrderState: Sendable, Equatable {
        /// Paid: its signed answer, read as a notification would be.
        case paid(ChannelNotification)
        /// Not paid yet (or the payer is paying now).
        case waiting
        /// Closed, revoked or failed: it will not be paid.
        case over
    }

    /// Where the payer is, as the contract names it.
    enum Scene: String, Sendable {
        case qr
        case inApp = "in_app"
        case mobileWeb = "mobile_web"
    }

    var wechat: WeChatPayClient?
    /// A citizen's WeChat login code to their openid, for WeChat Pay's parking service.
    var wechatOpen: WeChatOpenClient?
    var alipay: AlipayClient?
    /// Alipay's parking deduction: the client and our lot there, where Alipay's keys and the lot are configured.
    var alipayParking: (client: AlipayClient, parkingID: String)? {
        guard let alipay, let parkingID = alipayParkingID else { return nil }
        return (alipay, parkingID)
    }
    /// Our lot at Alipay's parking platform.
    var alipayParkingID: String?
    /// UnionPay, bank cards and ETC, through the acquirer.
    var acquirer: AcquirerClient?
    /// WeChat's H5 orders name the payer's address, as the edge believes it.
    let proxies: TrustedProxies
    /// Where the channels reach this service, for notify URLs.
    let publicURL: String

    init(
        _ settings: ChannelSettings, publicURL: String, verifiers: ChannelVerifiers, proxies: TrustedProxies, http: HTTPClient,
        clock: @escaping @Sendable () -> Date
    ) throws {
        self.proxies = proxies
        self.publicURL = publicURL
        let timeout = TimeAmount.milliseconds(settings.timeout)
        if let merchant = settings.wechatMerchant, let platform = verifiers.wechat {
            let key: _RSA.Signing.PrivateKey
            do {
                key = try _RSA.Signing.PrivateKey(pemRepresentation: merchant.privateKeyPEM)
            } catch {
                throw ConfigurationError(variable: "CURBSIDE_WECHAT_MERCHANT_KEY", reason: "not an RSA private key in PEM")
            }
            wechat = WeChatPayClient(
                baseURL: merchant.apiURL,
                merchant: WeChatPayMerchant(merchantID: merchant.merchantID, appID: merchant.appID, serialNumber: merchant.serialNumber, privateKey: key),
                platform: platform, http: http, timeout: timeout, clock: clock
            )
            wechatOpen = Self.wechatOpen(settings, http: http)
        }
        if let pem = settings.alipayAppKeyPEM, let alipay = verifiers.alipay {
            let key: _RSA.Signing.PrivateKey
            do {
                key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw ConfigurationError(variable: "CURBSIDE_ALIPAY_APP_KEY", reason: "not an RSA private key in PEM")
            }
            self.alipay = AlipayClient(
                gatewayURL: settings.alipayGatewayURL, merchant: AlipayMerchant(appID: alipay.appID, privateKey: key), alipay: alipay, http: http,
                timeout: timeout, clock: clock
            )
            alipayParkingID = settings.alipayParkingID
        }
        if let url = settings.acquirerURL, let secret = settings.acquirerSecret {
            acquirer = AcquirerClient(baseURL: url, secret: SymmetricKey(data: Data(secret.utf8)), http: http, timeout: timeout, clock: clock)
        }
    }

    /// WeChat's open API for our application, where its secret is configured.
    static func wechatOpen(_ settings: ChannelSettings, http: HTTPClient) -> WeChatOpenClient? {
        guard let merchant = settings.wechatMerchant, let secret = settings.wechatAppSecret else { return nil }
        return WeChatOpenClient(
            baseURL: settings.wechatOpenAPIURL, appID: merchant.appID, appSecret: secret, http: http, timeout: .milliseconds(settings.timeout)
        )
    }

    /// The channels whose orders are placed here, and so followed up and refunded here.
    var placing: [PaymentChannel] {
        (wechat == nil ? [] : [.wechat]) + (alipay == nil ? [] : [.alipay]) + (acquirer == nil ? [] : Self.acquired)
    }

    /// The channels the acquirer carries.
    static let acquired: [PaymentChannel] = [.unionpay, .bankCard, .etc]

    /// Where `channel` sends its payment notifications; nil for the wallet and cash.
    func notifyURL(_ channel: PaymentChannel) -> String? {
        switch channel {
        case .wechat: publicURL + "/v1/channels/wechat/notify"
        case .alipay: publicURL + "/v1/channels/alipay/notify"
        case .unionpay, .bankCard, .etc: publicURL + "/v1/channels/acquirer/\(channel.rawValue)/notify"
        case .cash, .wallet: nil
        }
    }

    /// Refuses, before any payment is made, an order that cannot be placed here.
    func check(_ channel: PaymentChannel, scene: Scene, openID: String?) throws(APIError) {
        let places = switch channel {
        case .wechat: wechat != nil
        case .alipay: alipay != nil
        case .unionpay, .bankCard, .etc: acquirer != nil
        default: false
        }
        guard places else { throw Self.notPlaced(channel) }
        if channel == .wechat, scene == .inApp, openID == nil { throw Self.openIDMissing }
    }

    /// Places the order of `payment`; `returnURL` is where the channel's page sends the payer back.
    func place(
        _ payment: CurbsideStore.Payment, scene: Scene, openID: String?, notifyURL: String, returnURL: String
    ) async throws -> Components.Schemas.PayWith {
        let subject = "路侧停车 \(payment.id)"
        let expires = Date(milliseconds: payment.expiresAt)
        switch payment.channel {
        case .wechat:
            guard let wechat else { throw Self.notPlaced(payment.channel) }
            let wechatScene: WeChatPayScene
            switch scene {
            case .qr: wechatScene = .native
            case .inApp:
                guard let openID else { throw Self.openIDMissing }
                wechatScene = .jsapi(openID: openID)
            case .mobileWeb: wechatScene = .h5(payerIP: RequestContext.request.map(proxies.client) ?? "127.0.0.1")
            }
            let order = WeChatPayOrder(outTradeNo: payment.id, description: subject, amountFen: payment.amountFen, notifyURL: notifyURL, expiresAt: expires)
            let prepay: WeChatPayPrepay
            do {
                prepay = try await wechat.place(order, scene: wechatScene)
            } catch {
                throw Self.unavailable(error)
            }
            switch prepay {
            case let .native(code): return .init(scene: .qr, qrCode: code)
            case let .h5(url): return .init(scene: .mobileWeb, url: url)
            case let .jsapi(p):
                return .init(scene: .inApp, jsapi: .init(appId: p.appId, timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType, paySign: p.paySign))
            }
        case .alipay:
            guard let alipay else { throw Self.notPlaced(payment.channel) }
            let order = AlipayOrder(outTradeNo: payment.id, subject: subject, amountFen: payment.amountFen, notifyURL: notifyURL, expiresAt: expires)
            do {
                if scene == .qr { return .init(scene: .qr, qrCode: try await alipay.precreate(order)) }
                return .init(scene: .init(rawValue: scene.rawValue)!, url: try alipay.wapPayURL(order, quitURL: returnURL, returnURL: returnURL))
            } catch {
                throw Self.unavailable(error)
            }
        case .unionpay, .bankCard, .etc:
            guard let acquirer else { throw Self.notPlaced(payment.channel) }
            let order = AcquirerOrder(
                paymentID: payment.id, channel: payment.channel, subject: subject, amountFen: payment.amountFen, notifyURL: notifyURL, returnURL: returnURL,
                expiresAt: expires, scene: scene == .qr ? .qr : .mobileWeb
            )
            do {
                switch try await acquirer.place(order) {
                case let .qr(code): return .init(scene: .qr, qrCode: code)
                case let .page(url): return .init(scene: .mobileWeb, url: url)
                }
            } catch {
                throw Self.unavailable(error)
            }
        default:
            throw Self.notPlaced(payment.channel)
        }
    }

    /// Asks the channel about the order of `payment`; its answer is believed only once its signature verifies.
    func state(of payment: CurbsideStore.Payment) async throws -> OrderState {
        switch payment.channel {
        case .wechat:
            guard let wechat else { throw Self.notPlaced(payment.channel) }
            let trade: WeChatPayTrade
            do {
                trade = try await wechat.query(outTradeNo: payment.id)
            } catch {
                // Placing it did not reach WeChat Pay (the order is followed up from before it is sent).
                guard error.code == "ORDER_NOT_EXIST" else { throw error }
                return .waiting
            }
            switch trade.state {
            case .success, .refund:
                guard let transaction = trade.transactionID, let fen = trade.amountFen else { return .waiting }
                return .paid(ChannelNotification(
                    channel: .wechat, paymentID: payment.id, transactionID: transaction, amountFen: fen, currency: trade.currency ?? "CNY", succeeded: true
                ))
            case .notPaid, .paying: return .waiting
            case .closed, .revoked, .failed: return .over
            }
        case .alipay:
            guard let alipay else { throw Self.notPlaced(payment.channel) }
            let trade: AlipayTrade
            do {
                trade = try await alipay.query(outTradeNo: payment.id)
            } catch {
                // A wap pay trade exists at Alipay only once the payer opened its page.
                guard error.subCode == "ACQ.TRADE_NOT_EXIST" else { throw error }
                return .waiting
            }
            switch trade.status {
            case .success, .finished:
                guard let number = trade.tradeNo, let fen = trade.amountFen else { return .waiting }
                return .paid(ChannelNotification(channel: .alipay, paymentID: payment.id, transactionID: number, amountFen: fen, currency: "CNY", succeeded: true))
            case .waiting: return .waiting
            case .closed: return .over
            }
        case .unionpay, .bankCard, .etc:
            guard let acquirer else { throw Self.notPlaced(payment.channel) }
            let trade: AcquirerTrade
            do {
                trade = try await acquirer.query(paymentID: payment.id)
            } catch {
                guard error.code == "ORDER_NOT_FOUND" else { throw error }
                return .waiting
            }
            switch trade.status {
            case .success:
                guard let transaction = trade.transactionID else { return .waiting }
                return .paid(ChannelNotification(
                    channel: payment.channel, paymentID: payment.id, transactionID: transaction, amountFen: trade.amountFen, currency: "CNY", succeeded: true
                ))
            case .pending: return .waiting
            case .closed: return .over
            }
        default:
            throw Self.notPlaced(payment.channel)
        }
    }

    /// Closes the order of `payment` with its channel, so that it can no longer be paid.
    func close(_ payment: CurbsideStore.Payment) async throws {
        switch payment.channel {
        case .wechat:
            guard let wechat else { throw Self.notPlaced(payment.channel) }
            do {
                try await wechat.close(outTradeNo: payment.id)
            } catch {
                // Never placed: nothing to close, and nothing can be paid.
                guard error.code == "ORDER_NOT_EXIST" else { throw error }
            }
        case .alipay:
            guard let alipay else { throw Self.notPlaced(payment.channel) }
            do {
                try await alipay.close(outTradeNo: payment.id)
            } catch {
                // Never opened by the payer: there is nothing at Alipay to close, and nothing can be paid.
                guard error.subCode == "ACQ.TRADE_NOT_EXIST" else { throw error }
            }
        case .unionpay, .bankCard, .etc:
            guard let acquirer else { throw Self.notPlaced(payment.channel) }
            do {
                try await acquirer.close(paymentID: payment.id)
            } catch {
                guard error.code == "ORDER_NOT_FOUND" else { throw error }
            }
        default:
            throw Self.notPlaced(payment.channel)
        }
    }

    /// The channel's statement of the payments it took on `day` (local, YYYY-MM-DD); nil when it has none
    /// because none were made.
    func statement(_ channel: PaymentChannel, day: String) async throws -> String? {
        switch channel {
        case .wechat:
            guard let wechat else { throw Self.notPlaced(channel) }
            return try await wechat.tradeBill(day: day)
        case .alipay:
            guard let alipay else { throw Self.notPlaced(channel) }
            return try await alipay.tradeBill(day: day)
        case .unionpay, .bankCard, .etc:
            guard let acquirer else { throw Self.notPlaced(channel) }
            return try await acquirer.statement(day: day, channel: channel)
        default:
            throw Self.notPlaced(channel)
        }
    }

    /// Sends `refund` to the channel of its payment (again, if an attempt went unanswered: the channel knows it
    /// by our id), or asks how a refund WeChat Pay is processing has got on.
    func send(_ due: RefundQueue.Due) async throws -> ChannelRefundReport {
        let refund = due.refund
        switch due.channel {
        case .wechat:
            guard let wechat else { throw Self.notPlaced(due.channel) }
            if refund.status == .processing { return try await wechat.refund(outRefundNo: refund.id) }
            return try await wechat.refund(WeChatPayRefundRequest(
                outTradeNo: refund.payment, outRefundNo: refund.id, refundFen: refund.amountFen, totalFen: due.paymentFen,
                reason: String(refund.reason.prefix(80)), notifyURL: publicURL + "/v1/channels/wechat/refund-notify"
            ))
        case .alipay:
            guard let alipay else { throw Self.notPlaced(due.channel) }
            return try await alipay.refund(outTradeNo: refund.payment, outRequestNo: refund.id, fen: refund.amountFen, reason: String(refund.reason.prefix(80)))
        case .unionpay, .bankCard, .etc:
            guard let acquirer else { throw Self.notPlaced(due.channel) }
            if refund.status == .processing { return try await acquirer.refund(refundID: refund.id) }
            return try await acquirer.refund(refundID: refund.id, paymentID: refund.payment, fen: refund.amountFen, reason: String(refund.reason.prefix(80)))
        default:
            throw Self.notPlaced(due.channel)
        }
    }

    static let openIDMissing = APIError.invalid(RequestErrorCode.missingField, "openid is required to pay inside WeChat.")

    static func notPlaced(_ channel: PaymentChannel) -> APIError {
        APIError.invalid(BillingErrorCode.channelNotConfigured, "Orders through \(channel.rawValue) are not placed here; pay by another channel.")
    }

    /// The channel's reason goes to the log, not to the payer, who is told to try again (a new payment;
    /// the one without an order expires unpaid).
    static func unavailable(_ error: any Error) -> APIError {
        RequestContext.request?.logger.warning("channel order not placed", metadata: ["reason": "\(error)"])
        return APIError(.badGateway, BillingErrorCode.channelUnavailable, "The payment channel did not take the order; try again in a moment.")
    }
}
