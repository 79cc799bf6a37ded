import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

@Suite("Public API")
struct PublicAPITests {
    @Test("Availability per zone and segment: open bays counted, occupancy unknown rather than free", arguments: StoreKind.testCases)
    func availability(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            let all = try await app.get("/v1/availability")
            #expect(all.status == 200)
            let zones = try #require(all.json["zones"] as? [[String: Any]])
            #expect(zones.map { $0["zone_id"] as? String } == ["SP1", "SP2", "SP3"])
            let totals = zones.compactMap { ($0["counts"] as? [String: Any])?["total"] as? Int }
            #expect(totals.reduce(0, +) == 820)
            for zone in zones {
                let counts = try #require(zone["counts"] as? [String: Any])
                #expect(counts["occupied"] == nil && counts["free"] == nil && counts["ev_free"] == nil)
                #expect(counts["unknown"] as? Int == counts["total"] as? Int)
                #expect(zone["segments"] == nil)
            }

            let one = try await app.get("/v1/availability/zones/SP1")
            let segments = try #require(one.json["segments"] as? [[String: Any]])
            #expect(segments.count == 6)
            #expect(segments.compactMap { ($0["counts"] as? [String: Any])?["total"] as? Int }.reduce(0, +) == totals[0])
            #expect(segments.first?["address"] as? String == "新城路(中山路至新华路)北侧")
            #expect(try await app.get("/v1/availability/zones/NOPE").status == 404)
        }
    }

    @Test("Bay lookup takes the code as people type it", arguments: ["10010019", "1001 0019", "１００１－００１９", "440784-1001-0019"])
    func lookup(typed: String) async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.get("/v1/bays/" + typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(response.status == 200)
            #expect(response.json["code"] as? String == "10010019")
            #expect(response.json["full_code"] as? String == "44078410010019")
            #expect(response.json["zone_class"] as? Int == 1)
            #expect(response.json["occupancy"] as? String == "unknown")
            #expect(response.json["service_phone"] as? String == "0750-8830000")
        }
    }

    @Test("A typo is refused with the one registered bay it most likely meant")
    func typos() async throws {
        try await withTestApp(.sqlite) { app in
            let swapped = try await app.get("/v1/bays/10001019")
            #expect(swapped.status == 422)
            #expect(swapped.errorCode == "bay_code_check_failed")
            #expect(swapped.json["did_you_mean"] as? String == "10010019")
            #expect((swapped.json["message"] as? String)?.contains("Did you mean 10010019?") == true)

            let unregistered = try BayCode(body: "9999999").rawValue
            #expect(try await app.get("/v1/bays/\(unregistered)").status == 404)
            #expect(try await app.get("/v1/bays/12").errorCode == "bay_code_wrong_length")
            #expect(try await app.get("/v1/bays/35030010010019").errorCode == "bay_code_other_city")
            #expect(try await app.get("/v1/bays/1001A019").errorCode == "bay_code_invalid_character")
        }
    }

    @Test("Static data for the city platform: one record per road segment with the fee standard", arguments: StoreKind.testCases)
    func staticData(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            let response = try await app.get("/v1/admin/static-data", as: .auditor)
            #expect(response.json["division_code"] as? String == "440784")
            let records = try #require(response.json["records"] as? [[String: Any]])
            #expect(records.count == 14)
            let first = try #require(records.first { $0["id"] as? String == "1001" })
            #expect(first["operator"] as? String == "鹤山市城泊智慧停车运营有限公司")
            #expect(first["address"] as? String == "鹤山市沙坪街道新城路(中山路至新华路)北侧")
            #expect((first["fee_standard"] as? String)?.contains("每30分钟2元") == true)
            #expect(first["open_bays"] as? Int == 61)
            #expect((first["latitude"] as? Double).map { abs($0 - 22.76504) < 0.0001 } == true)
        }
    }
}
