import Crypto
import CryptoExtras
import CurbsideServer
import CurbsideSimulation

/// The payment channels the demo pays through: WeChat Pay and Alipay
/// simulators on loopback, speaking their published protocols, with merchant
/// keys made for the run. The server is configured as for the real channels,
/// so the demo places real orders through the real clients; it never reaches
/// a real channel.
struct DemoChannels {
    let channels: PaymentChannelSimulator
    let wechat: WeChatPaySimulator
    let alipay: AlipaySimulator
    /// What the server is configured with: the channels' public keys and our merchant keys.
    let settings: ChannelSettings

    init(clock: DemoClock) async throws {
        let channels = try PaymentChannelSimulator()
        let wechatMerchant = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let alipayApp = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        // The simulators keep the demo's time, which may be another day's.
        wechat = try await WeChatPaySimulator(
            channels: channels, merchantKey: wechatMerchant.publicKey, merchantID: "1900009191", serialNumber: "DEMO-MERCHANT-CERT",
            clock: { clock.now }
        )
        alipay = try await AlipaySimulator(channels: channels, merchantKey: alipayApp.publicKey, clock: { clock.now })
        var settings = ChannelSettings(
            wechatPlatformKeyPEM: channels.weChatKey.publicKey.pemRepresentation, wechatAPIv3Key: channels.apiV3Key,
            alipayPublicKeyPEM: channels.alipayKey.publicKey.pemRepresentation, alipayAppID: channels.alipayAppID,
            acquirerSecret: channels.acquirerSecret
        )
        settings.wechatMerchant = WeChatMerchantSettings(
            merchantID: "1900009191", appID: "wxd678efh567hg6787", serialNumber: "DEMO-MERCHANT-CERT",
            privateKeyPEM: wechatMerchant.pkcs8PEMRepresentation, apiURL: wechat.baseURL
        )
        settings.alipayAppKeyPEM = alipayApp.pemRepresentation
        settings.alipayGatewayURL = alipay.gatewayURL
        self.channels = channels
        self.settings = settings
    }

    /// Notifications go to the demo's server, whatever host the public URL in the notify URLs names.
    func deliver(to server: String) {
        wechat.notifyHost = server
        alipay.notifyHost = server
    }

    func stop() async throws {
        try await wechat.stop()
        try await alipay.stop()
    }
}
