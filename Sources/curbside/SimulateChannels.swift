import ArgumentParser
import Crypto
import CryptoExtras
import CurbsideSimulation
import Foundation

/// WeChat Pay and Alipay on loopback, for anyone building a front end: the
/// keys are made here and written out with the settings a server needs to
/// place orders with them and check their notifications.
struct SimulateChannels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Run WeChat Pay and Alipay simulators on loopback for a front end to pay against.",
        discussion: """
            Writes fresh keys and channels.env into --out; start the server with those settings \
            (set -a; . DIR/channels.env; set +a; curbside serve). An order is paid, and its \
            notification sent, by POST /simulator/pay/{out_trade_no} to the channel's simulator.
            """
    )

    @Option(help: "Folder for the keys and channels.env.")
    var out = ".curbside/channels"

    @Option(help: "Stop after this many seconds; by default run until interrupted.")
    var seconds: Double?

    func run() async throws {
        let channels = try PaymentChannelSimulator()
        let wechatMerchant = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let alipayApp = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let wechat = try await WeChatPaySimulator(
            channels: channels, merchantKey: wechatMerchant.publicKey, merchantID: "1900009191", serialNumber: "SIMULATED-MERCHANT-CERT"
        )
        let alipay = try await AlipaySimulator(channels: channels, merchantKey: alipayApp.publicKey)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let directory = URL(fileURLWithPath: out).standardizedFileURL.path
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let settings = [
            ("CURBSIDE_WECHAT_PLATFORM_KEY", try write("wechat-platform.pem", channels.weChatKey.publicKey.pemRepresentation)),
            ("CURBSIDE_WECHAT_APIV3_KEY", channels.apiV3Key),
            ("CURBSIDE_WECHAT_MCH_ID", "1900009191"),
            ("CURBSIDE_WECHAT_APP_ID", "wxd678efh567hg6787"),
            ("CURBSIDE_WECHAT_MERCHANT_SERIAL", "SIMULATED-MERCHANT-CERT"),
            ("CURBSIDE_WECHAT_MERCHANT_KEY", try write("wechat-merchant-key.pem", wechatMerchant.pkcs8PEMRepresentation)),
            ("CURBSIDE_WECHAT_API_URL", wechat.baseURL),
            ("CURBSIDE_ALIPAY_PUBLIC_KEY", try write("alipay-public.pem", channels.alipayKey.publicKey.pemRepresentation)),
            ("CURBSIDE_ALIPAY_APP_ID", channels.alipayAppID),
            ("CURBSIDE_ALIPAY_APP_KEY", try write("alipay-app-key.pem", alipayApp.pkcs8PEMRepresentation)),
            ("CURBSIDE_ALIPAY_GATEWAY", alipay.gatewayURL),
        ]
        let env = try write("channels.env", settings.map { "\($0.0)=\($0.1)\n" }.joined())
        // Written at once, not buffered: someone is waiting at a terminal, or a script is reading a pipe.
        FileHandle.standardOutput.write(Data("""
            WeChat Pay API v3 at \(wechat.baseURL)
            Alipay gateway at \(alipay.gatewayURL)
            Keys made for this run; the server's settings are in \(env):
              set -a; . \(env); set +a; curbside serve
            Pay an order: curl -X POST \(wechat.baseURL)/simulator/pay/PAYMENT_ID (WeChat), \
            or the same on \(alipay.gatewayURL.replacingOccurrences(of: "/gateway.do", with: "")) (Alipay).

            """.utf8))
        if let seconds {
            try await Task.sleep(for: .seconds(seconds))
        } else {
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        try await wechat.stop()
        try await alipay.stop()
    }
}
