import ArgumentParser
import CurbsideSimulation
import Foundation

/// WeChat Pay, Alipay and the acquirer on loopback, for anyone building a front end: the
/// keys are made here and written out with the settings a server needs to
/// place orders with them and check their notifications.
struct SimulateChannels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Run WeChat Pay, Alipay and acquirer simulators on loopback for a front end to pay against.",
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
        let simulated = try await SimulatedChannels()
        let wechat = simulated.wechat, alipay = simulated.alipay
        let directory = URL(fileURLWithPath: out).standardizedFileURL.path
        let settings = try simulated.environment(writingKeysTo: directory)
        let env = directory + "/channels.env"
        try settings.map { "\($0.0)=\($0.1)\n" }.joined().write(toFile: env, atomically: true, encoding: .utf8)
        // Written at once, not buffered: someone is waiting at a terminal, or a script is reading a pipe.
        FileHandle.standardOutput.write(Data("""
            WeChat Pay API v3 at \(wechat.baseURL)
            Alipay gateway at \(alipay.gatewayURL)
            Acquirer (UnionPay, bank cards, ETC; docs/acquirer.md) at \(simulated.acquirer.baseURL)
            Invoicing platform (docs/invoicing-platform.md) at \(simulated.invoicing.baseURL); WeChat Pay's e-invoices on the WeChat Pay simulator
            Keys made for this run; the server's settings are in \(env):
              set -a; . \(env); set +a; curbside serve
            Pay an order: curl -X POST \(wechat.baseURL)/simulator/pay/PAYMENT_ID (WeChat), \
            or the same on \(alipay.gatewayURL.replacingOccurrences(of: "/gateway.do", with: "")) (Alipay) or \(simulated.acquirer.baseURL) (the acquirer).

            """.utf8))
        if let seconds {
            try await Task.sleep(for: .seconds(seconds))
        } else {
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        try await simulated.stop()
    }
}
