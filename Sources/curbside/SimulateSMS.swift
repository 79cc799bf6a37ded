import ArgumentParser
import CurbsideSimulation
import Foundation

/// Alibaba Cloud SMS and Tencent Cloud SMS on loopback, for anyone testing
/// against them: their endpoints and keys are written to DIR/sms.env.
struct SimulateSMS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sms",
        abstract: "Run Alibaba Cloud and Tencent Cloud SMS simulators on loopback.",
        discussion: """
            Writes sms.env into --out with each simulator's endpoint and keys; messages sent to them are checked and kept, not delivered. \
            With --reports-to, each pushes the delivery reports of what it took every two seconds to that Curbside server's report endpoint.
            """
    )

    @Option(help: "Folder for sms.env.")
    var out = ".curbside/sms"

    @Option(help: "Stop after this many seconds; by default run until interrupted.")
    var seconds: Double?

    @Option(help: "A Curbside server's base URL, such as http://127.0.0.1:8080, to push delivery reports to.")
    var reportsTo: String?

    func run() async throws {
        let aliyun = try await AliyunSMSSimulator()
        let tencent = try await TencentSMSSimulator()
        let directory = URL(fileURLWithPath: out).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let env = directory + "/sms.env"
        try [
            ("ALIYUN_SMS_ENDPOINT", aliyun.endpoint), ("ALIYUN_ACCESS_KEY_ID", aliyun.accessKeyID), ("ALIYUN_ACCESS_KEY_SECRET", aliyun.accessKeySecret),
            ("TENCENT_SMS_ENDPOINT", tencent.endpoint), ("TENCENT_SECRET_ID", tencent.secretID), ("TENCENT_SECRET_KEY", tencent.secretKey),
        ].map { "\($0.0)=\($0.1)\n" }.joined().write(toFile: env, atomically: true, encoding: .utf8)
        // Written at once, not buffered: a script may be reading a pipe.
        FileHandle.standardOutput.write(Data("Alibaba Cloud SMS at \(aliyun.endpoint), Tencent Cloud SMS at \(tencent.endpoint); keys in \(env)\n".utf8))
        let simulators: [any SMSProviderSimulator] = [aliyun, tencent]
        if let reportsTo {
            for simulator in simulators { simulator.reportURL = reportsTo + "/v1/channels/sms/\(simulator.provider)/reports" }
        }
        let until = seconds.map { Date().addingTimeInterval($0) } ?? .distantFuture
        while Date() < until {
            try await Task.sleep(for: .seconds(min(2, max(0, until.timeIntervalSinceNow))))
            guard reportsTo != nil else { continue }
            for simulator in simulators {
                do {
                    try await simulator.pushReports()
                } catch {
                    FileHandle.standardError.write(Data("\(simulator.provider): reports not pushed: \(error)\n".utf8))
                }
            }
        }
        try await aliyun.stop()
        try await tencent.stop()
    }
}
