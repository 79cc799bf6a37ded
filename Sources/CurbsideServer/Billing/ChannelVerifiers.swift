import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import Foundation

/// The configured channels' notification checkers, built once at start; a bad
/// key stops the start with the variable named.
struct ChannelVerifiers: Sendable {
    var wechat: WeChatPayV3?
    var alipay: Alipay?
    var acquirer: AcquirerCallback?

    init(_ settings: ChannelSettings) throws {
        if let pem = settings.wechatPlatformKeyPEM, let key = settings.wechatAPIv3Key {
            do {
                wechat = WeChatPayV3(platformKey: try _RSA.Signing.PublicKey(pemRepresentation: pem), apiV3Key: SymmetricKey(data: Data(key.utf8)))
            } catch {
                throw ConfigurationError(variable: "CURBSIDE_WECHAT_PLATFORM_KEY", reason: "not an RSA public key in PEM (\(error))")
            }
        }
        if let pem = settings.alipayPublicKeyPEM, let appID = settings.alipayAppID {
            do {
                alipay = Alipay(alipayKey: try _RSA.Signing.PublicKey(pemRepresentation: pem), appID: appID)
            } catch {
                throw ConfigurationError(variable: "CURBSIDE_ALIPAY_PUBLIC_KEY", reason: "not an RSA public key in PEM (\(error))")
            }
        }
        if let secret = settings.acquirerSecret {
            guard secret.utf8.count >= 32 else { throw ConfigurationError(variable: "CURBSIDE_ACQUIRER_SECRET", reason: "use at least 32 bytes") }
            acquirer = AcquirerCallback(secret: SymmetricKey(data: Data(secret.utf8)))
        }
    }

    /// Whether payments through `channel` can be confirmed: cash and wallet need no channel.
    func accepts(_ channel: PaymentChannel) -> Bool {
        switch channel {
        case .wechat: wechat != nil
        case .alipay: alipay != nil
        case .unionpay, .bankCard, .etc: acquirer != nil
        case .cash, .wallet: true
        }
    }
}
