import CurbsideServer
import CurbsideSimulation

/// The payment channels the demo pays through: WeChat Pay, Alipay and
/// acquirer simulators on loopback, speaking their published protocols, with merchant
/// keys made for the run. The server is configured as for the real channels,
/// so the demo places real orders through the real clients; it never reaches
/// a real channel.
struct DemoChannels {
    let simulated: SimulatedChannels
    /// Notices go by SMS through Alibaba Cloud SMS's simulator.
    let sms: AliyunSMSSimulator
    /// WeChat's open API, for citizens' mini-program login codes.
    let open: WeChatOpenSimulator
    /// What the server is configured with: the channels' public keys and our merchant keys.
    let settings: ChannelSettings

    var channels: PaymentChannelSimulator { simulated.channels }
    var wechat: WeChatPaySimulator { simulated.wechat }
    var alipay: AlipaySimulator { simulated.alipay }
    var acquirer: AcquirerSimulator { simulated.acquirer }

    init(clock: DemoClock) async throws {
        // The simulators keep the demo's time, which may be another day's.
        let simulated = try await SimulatedChannels(clock: { clock.now })
        let channels = simulated.channels
        var settings = ChannelSettings(
            wechatPlatformKeyPEM: channels.weChatKey.publicKey.pemRepresentation, wechatAPIv3Key: channels.apiV3Key,
            alipayPublicKeyPEM: channels.alipayKey.publicKey.pemRepresentation, alipayAppID: channels.alipayAppID,
            acquirerSecret: channels.acquirerSecret
        )
        settings.wechatMerchant = WeChatMerchantSettings(
            merchantID: SimulatedChannels.merchantID, appID: SimulatedChannels.appID, serialNumber: SimulatedChannels.serialNumber,
            privateKeyPEM: simulated.wechatMerchantKey.pkcs8PEMRepresentation, apiURL: simulated.wechat.baseURL
        )
        settings.alipayAppKeyPEM = simulated.alipayAppKey.pemRepresentation
        settings.alipayGatewayURL = simulated.alipay.gatewayURL
        settings.acquirerURL = simulated.acquirer.baseURL
        let open = try await WeChatOpenSimulator(appID: SimulatedChannels.appID)
        settings.wechatAppSecret = open.appSecret
        settings.wechatOpenAPIURL = open.baseURL
        self.simulated = simulated
        self.settings = settings
        self.open = open
        sms = try await AliyunSMSSimulator()
    }

    /// The server's SMS settings for the simulator.
    var smsSettings: SMSSettings {
        var settings = SMSSettings()
        settings.keyID = sms.accessKeyID
        settings.secret = sms.accessKeySecret
        settings.url = sms.endpoint
        return settings
    }

    func stop() async throws {
        try await simulated.stop()
        try await sms.stop()
        try await open.stop()
    }
}
