import CurbsideTestSupport
import Foundation
import Testing

@Suite("curbside demo")
struct DemoTests {
    @Test("The demo runs the sample district end to end over HTTP and reports what it found")
    func demo() async throws {
        let result = try await ChildProcess.run(
            ChildProcess.curbside, ["demo"],
            environment: ["CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs, "DATABASE_URL": ""]
        )
        #expect(result.status == 0, "\(result.output)")
        let output = result.output
        #expect(output.contains("GET /readyz -> ready (sqlite)"))
        #expect(output.contains("heshan v1"))
        #expect(output.range(of: #"SP1\s+1\s+active\s+312"#, options: .regularExpression) != nil)
        #expect(output.contains("新城路(中山路至新华路)北侧"))
        #expect(output.contains("-> 10010019 (full code 44078410010019)"))
        #expect(output.contains("Did you mean 10010019?"))
        #expect(output.contains("Cap: ¥20.00 per calendar day."))
        #expect(output.contains("from 09:00 to 11:40 today costs (GET /v1/bays/10010019/quote): ¥12.00"))
        #expect(output.contains("837 dated records"))
        #expect(output.contains("without a token -> 401 unauthenticated"))
    }
}
