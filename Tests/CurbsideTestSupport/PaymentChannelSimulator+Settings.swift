import CurbsideServer
import CurbsideSimulation

extension PaymentChannelSimulator {
    /// The server's configuration for these channels.
    public var settings: ChannelSettings {
        ChannelSettings(
            wechatPlatformKeyPEM: weChatKey.publicKey.pemRepresentation, wechatAPIv3Key: apiV3Key,
            alipayPublicKeyPEM: alipayKey.publicKey.pemRepresentation, alipayAppID: alipayAppID, acquirerSecret: acquirerSecret
        )
    }
}
