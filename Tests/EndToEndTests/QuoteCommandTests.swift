import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("curbside quote", .ownThread)
struct QuoteCommandTests {
    @Test("An itemised bill in words, or one JSON object with amount_fen and lines")
    func quote() async throws {
        let tariff = RepositoryPaths.tariffs + "/ninghai-2021.yaml"
        let arguments = ["quote", "--tariff", tariff, "--class", "1", "--from", "2026-11-21T10:00", "--to", "2026-11-22 12:00"]
        let plain = try await ChildProcess.run(ChildProcess.curbside, arguments)
        #expect(plain.status == 0, "\(plain.output)")
        #expect(plain.output.contains("24-hour cap ¥30.00"))
        #expect(plain.output.contains("¥36.00  Total"))

        let json = try await ChildProcess.run(ChildProcess.curbside, arguments + ["--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["amount_fen"] as? Int == 3600)
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(lines.reduce(0) { $0 + ($1["amount_fen"] as? Int ?? 0) } == 3600)
        #expect(lines.contains { $0["kind"] as? String == "cap" && $0["amount_fen"] as? Int == -3400 })
    }

    @Test("Mistakes are refused with a message")
    func mistakes() async throws {
        let tariff = RepositoryPaths.tariffs + "/heshan.yaml"
        let badClass = try await ChildProcess.run(ChildProcess.curbside, ["quote", "--tariff", tariff, "--class", "4", "--from", "2026-11-21T10:00", "--to", "2026-11-21T11:00"])
        #expect(badClass.status != 0)
        #expect(badClass.output.contains("--class must be 1, 2 or 3"))
        let backwards = try await ChildProcess.run(ChildProcess.curbside, ["quote", "--tariff", tariff, "--class", "1", "--from", "2026-11-21T10:00", "--to", "2026-11-21T09:00"])
        #expect(backwards.output.contains("The stay ends before it starts."))
        let missing = try await ChildProcess.run(ChildProcess.curbside, ["quote", "--tariff", "/nowhere.yaml", "--class", "1", "--from", "2026-11-21T10:00", "--to", "2026-11-21T11:00"])
        #expect(missing.output.contains("/nowhere.yaml: cannot read the file"))
    }
}
