import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing
import Vapor

@Suite("Tariffs over HTTP")
struct TariffAPITests {
    @Test("A citizen asks what a stay costs and gets every line explained", arguments: StoreKind.testCases)
    func quote(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            let response = try await app.get("/v1/bays/1001%200019/quote?from=2026-11-21T09:00&until=2026-11-21T10:00")
            #expect(response.status == 200)
            #expect(response.json["amount_fen"] as? Int == 400)
            #expect(response.json["tariff_id"] as? String == "heshan")
            #expect(response.json["tariff_version"] as? Int == 1)
            #expect(response.json["zone_id"] as? String == "SP1")
            #expect(response.json["bay_code"] as? String == "10010019")
            #expect(response.json["from"] as? String == "2026-11-21T01:00:00Z")
            let lines = try #require(response.json["lines"] as? [[String: Any]])
            #expect(lines.count == 1)
            #expect(lines.first?["kind"] as? String == "metered")
            #expect(lines.first?["units"] as? Int == 2)
            #expect((lines.first?["description"] as? String)?.contains("2 × 30 min at ¥2.00") == true)

            let large = try await app.get("/v1/bays/10010019/quote?from=2026-11-21T09:00:00%2B08:00&until=2026-11-21T10:00:00%2B08:00&vehicle=large")
            #expect(large.json["amount_fen"] as? Int == 800)
            let capped = try await app.get("/v1/bays/10010019/quote?from=2026-11-21T08:00&until=2026-11-21T20:00&vehicle=nev")
            #expect(capped.json["amount_fen"] as? Int == 1000)
            #expect((capped.json["lines"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["metered", "cap", "discount"])
        }
    }

    @Test("Without a start, the stay starts now")
    func fromNow() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_222_800)) // 2026-11-21 09:00 in Shanghai
        try await withTestApp(.sqlite, clock: clock) { app in
            let response = try await app.get("/v1/bays/10010019/quote?until=2026-11-21T09:20")
            #expect(response.json["amount_fen"] as? Int == 0)
            #expect((response.json["lines"] as? [[String: Any]])?.first?["kind"] as? String == "free_period")
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
            let response = try await app.get("/v1/zones/SP1/tariff")
            #expect(response.status == 200)
            #expect(response.json["tariff_id"] as? String == "heshan")
            #expect(response.json["illustrative"] as? Bool == true)
            #expect((response.json["summary"] as? String)?.hasPrefix("停车30分钟内免费") == true)
            let rules = try #require(response.json["rules"] as? [String])
            #expect(rules.contains("Every day 08:00-20:00: ¥2.00 per 30 min (part units charged as whole)."))
            #expect(rules.contains("Cap: ¥20.00 per calendar day."))
            #expect(rules.contains("Large vehicle: rates and caps × 2."))
            let sp3 = try await app.get("/v1/zones/SP3/tariff")
            #expect((sp3.json["rules"] as? [String])?.contains("Cap: ¥10.00 per calendar day.") == true)
            #expect(try await app.get("/v1/zones/NOPE/tariff").status == 404)

            let list = try await app.get("/v1/tariffs")
            let ids = (list.json["tariffs"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(Set(ids ?? []) == ["beijing-2018", "heshan", "ninghai-2021", "qinzhou", "shenzhen", "zhumadian-2020"])
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
        configuration.tariffsDirectory = directory
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
        configuration.tariffsDirectory = directory
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
