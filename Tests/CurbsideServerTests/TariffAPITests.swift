import CurbsideAPI
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing
import Vapor

@Suite("Tariffs over HTTP", .ownThread)
struct TariffAPITests {
    @Test("A citizen asks what a stay costs and gets every line explained", arguments: StoreKind.testCases)
    func quote(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            let anyone = try await app.client()
            let quote = try await anyone.quoteStay(path: .init(code: "1001 0019"), query: .init(until: "2026-11-21T10:00", from: "2026-11-21T09:00")).ok.body.json
            #expect(quote.amountFen == 400 && quote.tariffId == "heshan" && quote.tariffVersion == 1)
            #expect(quote.zoneId == "SP1" && quote.bayCode == "10010019")
            #expect(quote.from == (try Date(rfc3339: "2026-11-21T01:00:00Z")))
            #expect(quote.lines.count == 1)
            #expect(quote.lines.first?.kind == .metered && quote.lines.first?.units == 2)
            #expect(quote.lines.first?.description.contains("2 × 30 min at ¥2.00") == true)

            let large = try await anyone.quoteStay(path: .init(code: "10010019"), query: .init(until: "2026-11-21T10:00:00+08:00", from: "2026-11-21T09:00:00+08:00", vehicle: .large))
            #expect(try large.ok.body.json.amountFen == 800)
            let capped = try await anyone.quoteStay(path: .init(code: "10010019"), query: .init(until: "2026-11-21T20:00", from: "2026-11-21T08:00", vehicle: .nev)).ok.body.json
            #expect(capped.amountFen == 1000)
            #expect(capped.lines.map(\.kind) == [.metered, .cap, .discount])
        }
    }

    @Test("Without a start, the stay starts now")
    func fromNow() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_222_800)) // 2026-11-21 09:00 in Shanghai
        try await withTestApp(.sqlite, clock: clock) { app in
            let quote = try await app.client().quoteStay(path: .init(code: "10010019"), query: .init(until: "2026-11-21T09:20")).ok.body.json
            #expect(quote.amountFen == 0 && quote.lines.first?.kind == .freePeriod)
        }
    }

    @Test("Bad quote requests get a 4xx with a code")
    func badQuotes() async throws {
        try await withTestApp(.sqlite) { app throws in
            let backwards = try await app.get("/v1/bays/10010019/quote?from=2026-11-21T10:00&until=2026-11-21T09:00")
            #expect(backwards.errorCode == "stay_ends_before_start")
            #expect(try await app.get("/v1/bays/10010019/quote?until=tomorrow").errorCode == "invalid_time")
            #expect(try await app.get("/v1/bays/10010019/quote?until=2026-11-21T09:00&vehicle=tank").status == 400)
            #expect(try await app.get("/v1/bays/10010019/quote").status == 400)
            #expect(try await app.get("/v1/bays/10010018/quote?until=2026-11-21T09:00").errorCode == "bay_code_check_failed")
            #expect(try await app.get("/v1/bays/10010019/quote?from=2025-01-01T00:00&until=2026-03-01T00:00").errorCode == "stay_too_long")
            #expect(try await app.get("/v1/bays/10010019/quote?from=2020-01-01T00:00&until=2020-01-01T01:00").errorCode == "no_tariff_in_force")
        }
    }

    @Test("Each zone publishes its fee standard in words")
    func publication() async throws {
        try await withTestApp(.sqlite) { app in
            let anyone = try await app.client()
            let sp1 = try await anyone.getZoneTariff(path: .init(zoneId: "SP1")).ok.body.json
            #expect(sp1.tariffId == "heshan" && sp1.illustrative && sp1.summary.hasPrefix("停车30分钟内免费"))
            #expect(sp1.rules.contains("Every day 08:00-20:00: ¥2.00 per 30 min (part units charged as whole)."))
            #expect(sp1.rules.contains("Cap: ¥20.00 per calendar day."))
            #expect(sp1.rules.contains("Large vehicle: rates and caps × 2."))
            #expect(try await anyone.getZoneTariff(path: .init(zoneId: "SP3")).ok.body.json.rules.contains("Cap: ¥10.00 per calendar day."))
            _ = try await anyone.getZoneTariff(path: .init(zoneId: "NOPE")).notFound

            let ids = try await anyone.listTariffs().ok.body.json.tariffs.map(\.id)
            #expect(Set(ids) == ["beijing-2018", "heshan", "ninghai-2021", "qinzhou", "shenzhen", "zhumadian-2020"])
        }
    }

    @Test("A bad tariff file stops the start, naming the file, the key and the reason")
    func badFileAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-tariffs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["holidays-cn.yaml", "heshan.yaml"] {
            try FileManager.default.copyItem(atPath: RepositoryPaths.tariffs + "/" + name, toPath: directory + "/" + name)
        }
        let heshan = try String(contentsOfFile: directory + "/heshan.yaml", encoding: .utf8)
        try heshan.replacingOccurrences(of: "price: \"1.50\"", with: "price: \"1.5O\"").write(toFile: directory + "/heshan.yaml", atomically: true, encoding: .utf8)
        let app = try await Application.make(.testing)
        defer { Task { try? await app.asyncShutdown() } }
        var configuration = TestConfiguration.make(.sqlite(path: directory + "/db.sqlite"), dataDirectory: directory)
        configuration.files.tariffs = directory
        do {
            try await CurbsideApp.configure(app, configuration, options: .init(seedRegistry: false, routes: false))
            Issue.record("the start should have failed")
        } catch let error as TariffFileError {
            #expect(error.file.hasSuffix("heshan.yaml"))
            #expect(error.location == "key 'classes.2.every_day[0].price'")
            #expect(error.reason.contains("'1.5O' is not an amount in yuan"))
        }
    }

    @Test("A tariff whose text changes without a new version is refused; a new version is added beside the old")
    func versionsArePinned() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-tariffs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["holidays-cn.yaml", "heshan.yaml"] {
            try FileManager.default.copyItem(atPath: RepositoryPaths.tariffs + "/" + name, toPath: directory + "/" + name)
        }
        var configuration = TestConfiguration.make(.sqlite(path: directory + "/db.sqlite"), dataDirectory: directory)
        configuration.files.tariffs = directory
        func start() async throws -> Int {
            let app = try await Application.make(.testing)
            do {
                let store = try await CurbsideApp.configure(app, configuration, options: .init(seedRegistry: false, routes: false))
                let count = try await TariffCatalog(store: store, database: app.db).tariffs().count
                try await app.asyncShutdown()
                return count
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
        #expect(try await start() == 1)
        let path = directory + "/heshan.yaml"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        try original.replacingOccurrences(of: "price: \"2.00\"", with: "price: \"2.50\"").write(toFile: path, atomically: true, encoding: .utf8)
        await #expect(throws: TariffCatalogError.self) { _ = try await start() }
        try original.replacingOccurrences(of: "price: \"2.00\"", with: "price: \"2.50\"").replacingOccurrences(of: "version: 1", with: "version: 2")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await start() == 2)
    }
}
