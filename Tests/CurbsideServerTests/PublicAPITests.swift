import CurbsideAPI
import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Public API", .ownThread)
struct PublicAPITests {
    @Test("Availability per zone and segment: open bays counted, occupancy unknown rather than free", arguments: StoreKind.testCases)
    func availability(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            let anyone = try await app.client()
            let zones = try await anyone.listAvailability().ok.body.json.zones
            #expect(zones.map(\.zoneId) == ["SP1", "SP2", "SP3"])
            let totals = zones.map(\.counts.total)
            #expect(totals.reduce(0, +) == 820)
            for zone in zones {
                #expect(zone.counts.occupied == nil && zone.counts.free == nil && zone.counts.evFree == nil)
                #expect(zone.counts.unknown == zone.counts.total)
                #expect(zone.segments == nil)
            }

            let segments = try #require(try await anyone.getZoneAvailability(path: .init(zoneId: "SP1")).ok.body.json.segments)
            #expect(segments.count == 6)
            #expect(segments.map(\.counts.total).reduce(0, +) == totals[0])
            #expect(segments.first?.address == "新城路(中山路至新华路)北侧")
            _ = try await anyone.getZoneAvailability(path: .init(zoneId: "NOPE")).notFound
        }
    }

    @Test("Bay lookup takes the code as people type it", arguments: ["10010019", "1001 0019", "１００１－００１９", "440784-1001-0019"])
    func lookup(typed: String) async throws {
        try await withTestApp(.sqlite) { app in
            let bay = try await app.client().lookupBay(path: .init(code: typed)).ok.body.json
            #expect(bay.code == "10010019" && bay.fullCode == "44078410010019" && bay.zoneClass.rawValue == 1)
            #expect(bay.occupancy == .unknown && bay.servicePhone == "0750-8830000")
        }
    }

    @Test("A typo is refused with the one registered bay it most likely meant")
    func typos() async throws {
        try await withTestApp(.sqlite) { app in
            let anyone = try await app.client()
            let swapped = try await anyone.lookupBay(path: .init(code: "10001019")).unprocessableContent.body.json
            #expect(swapped.code == "bay_code_check_failed" && swapped.didYouMean == "10010019")
            #expect(swapped.message.contains("Did you mean 10010019?"))

            let unregistered = try BayCode(body: "9999999").rawValue
            _ = try await anyone.lookupBay(path: .init(code: unregistered)).notFound
            #expect(try await anyone.lookupBay(path: .init(code: "12")).unprocessableContent.body.json.code == "bay_code_wrong_length")
            #expect(try await anyone.lookupBay(path: .init(code: "35030010010019")).unprocessableContent.body.json.code == "bay_code_other_city")
            #expect(try await anyone.lookupBay(path: .init(code: "1001A019")).unprocessableContent.body.json.code == "bay_code_invalid_character")
        }
    }

    @Test("Static data for the city platform: one record per road segment with the fee standard", arguments: StoreKind.testCases)
    func staticData(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            let data = try await app.client(as: .auditor).getStaticData().ok.body.json
            #expect(data.divisionCode == "440784")
            #expect(data.records.count == 14)
            let first = try #require(data.records.first { $0.id == "1001" })
            #expect(first._operator == "鹤山市城泊智慧停车运营有限公司")
            #expect(first.address == "鹤山市沙坪街道新城路(中山路至新华路)北侧")
            #expect(first.feeStandard.contains("每30分钟2元"))
            #expect(first.openBays == 61)
            #expect(abs(first.latitude - 22.76504) < 0.0001)
        }
    }
}
