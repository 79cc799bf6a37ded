import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Crypto
import CryptoExtras
import Foundation

/// Places a payment's order with its channel, for the channels whose merchant
/// keys are configured, and says what the page needs to have it paid. Built
/// once at start; a bad key stops the start with the variable named.
struct ChannelOrders: Sendable {
    /// Where the payer is, as the contract names it.
    enum Scene: String, Sendable {
        case qr
        case inApp = "in_app"
        case mobileWeb = "mobile_web"
    }

    var wechat: WeChatPayClient?
    var alipay: AlipayClient?
    /// WeChat's H5 orders name the payer's address, as the edge believes it.
    let proxies: TrustedProxies

    init(
        _ settings: ChannelSettings, verifiers: ChannelVerifiers, proxies: TrustedProxies, http: HTTPClient, clock: @escaping @Sendable () -> Date
    ) throws {
        self.proxies = proxies
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
                platform: platform, http: http, clock: clock
            )
        }
        if let pem = settings.alipayAppKeyPEM, let alipay = verifiers.alipay {
            let key: _RSA.Signing.PrivateKey
            do {
                key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
            } catch {
                throw ConfigurationError(variable: "CURBSIDE_ALIPAY_APP_KEY", reason: "not an RSA private key in PEM")
            }
            self.alipay = AlipayClient(
                gatewayURL: settings.alipayGatewayURL, merchant: AlipayMerchant(appID: alipay.appID, privateKey: key), alipay: alipay, http: http, clock: clock
            )
        }
    }

    /// Refuses, before any payment is made, an order that cannot be placed here.
    func check(_ channel: PaymentChannel, scene: Scene, openID: String?) throws(APIError) {
        let places = switch channel {
        case .wechat: wechat != nil
        case .alipay: alipay != nil
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
        default:
            throw Self.notPlaced(payment.channel)
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
