import CurbsideCore
import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import Foundation
import Testing

@Suite("Registry imports", .ownThread)
struct RegistryImportTests {
    static let heshan = FileManager.default.contents(atPath: RepositoryPaths.zones + "/heshan-shaping.geojson")!

    @Test("The sample district imports whole: 3 zones, 14 segments, 820 bays, one change record each", arguments: StoreKind.testCases)
    func sampleDistrict(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            let summary = try await test.registry.importGeoJSON(Self.heshan, cityTimeZone: "Asia/Shanghai", by: Principal(subject: "ops", role: .operator))
            #expect(summary.zones == .init(created: 3, updated: 0, retired: 0))
            #expect(summary.segments == .init(created: 14, updated: 0, retired: 0))
            #expect(summary.bays == .init(created: 820, updated: 0, retired: 0))
            #expect(try await BayModel.query(on: test.database).count() == 820)
            let changes = try await test.registry.changes(limit: 2000)
            #expect(changes.count == 837)
            #expect(changes.allSatisfy { $0.actor == Principal(subject: "ops", role: .operator) && $0.source == "import" && $0.action == "created" })
            let zoneClasses = try await test.registry.zones().map(\.spec.zoneClass)
            #expect(Set(zoneClasses) == [.one, .two, .three])
        }
    }

    @Test("Importing the same file again changes nothing and records nothing", arguments: StoreKind.testCases)
    func idempotent(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let before = try await test.registry.changes(limit: 2000).count
            let revision = try #require(try await test.registry.bay(BayCode(parsing: "10010019"))).revision
            let summary = try await test.registry.importGeoJSON(Self.heshan, cityTimeZone: "Asia/Shanghai", by: Principal(subject: "ops", role: .operator))
            #expect(summary.changed == 0)
            #expect(summary.unchanged == 837)
            #expect(try await test.registry.changes(limit: 2000).count == before)
            #expect(try await test.registry.bay(BayCode(parsing: "10010019"))?.revision == revision)
        }
    }

    @Test("Every bad feature is reported with its index and reason, and nothing is written", arguments: StoreKind.testCases)
    func rejectsWholeFile(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let document = GeoJSONBuilder()
                .zone(id: "NEW", tariff: "heshan")                                     // 0: fine on its own
                .segment(id: "9001", zone: "NEW")                                      // 1: fine on its own
                .bay(code: "90010010", segment: "9001")                                // 2: check character wrong
                .bay(code: "10010019", segment: "9001", offsetMetres: 400)             // 3: far from its segment
                .bay(code: try BayCode(body: "9001002").rawValue, segment: "7777")     // 4: unknown segment
                .zone(id: "BAD", tariff: "nowhere")                                    // 5: unknown tariff
                .raw(["type": "Feature", "properties": ["entity": "kerb"], "geometry": NSNull()])  // 6: unknown entity
                .bay(code: try BayCode(body: "9001003").rawValue, segment: "9001", sensor: "GM-1002-001")  // 7: sensor taken
                .bay(code: try BayCode(body: "9001004").rawValue, segment: "9001")                        // 8: fine
                .bay(code: try BayCode(body: "9001004").rawValue, segment: "9001")                        // 9: same code again
                .data()
            let before = try await test.registry.changes(limit: 2000).count
            let error = await #expect(throws: RegistryError.self) {
                try await test.registry.importGeoJSON(document, cityTimeZone: "Asia/Shanghai", by: Principal(subject: "ops", role: .operator))
            }
            guard case let .rejected(rejection)? = error else { Issue.record("expected a rejection"); return }
            let found = Dictionary(grouping: rejection.issues, by: { $0.index ?? -1 }).mapValues { $0.map(\.code) }
            #expect(found[2] == ["bay_code_check_failed"])
            #expect(found[3] == ["bay_far_from_segment"])
            #expect(found[4] == ["unknown_segment"])
            #expect(found[5] == ["unknown_tariff"])
            #expect(found[6] == ["unknown_entity"])
            #expect(found[7] == ["sensor_already_bound"])
            #expect(found[9] == ["duplicate_code"])
            #expect(found[0] == nil && found[1] == nil && found[8] == nil)
            #expect(rejection.issues.first { $0.index == 3 }?.message.contains("m from the kerb line of segment 9001") == true)
            #expect(try await test.registry.zone("NEW") == nil)
            #expect(try await test.registry.changes(limit: 2000).count == before)
        }
    }

    @Test("A changed attribute is updated and its change record says from what to what", arguments: StoreKind.testCases)
    func updateRecordsDiff(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let code = try BayCode(parsing: "10010019")
            let stored = try #require(try await test.registry.bay(code))
            let document = GeoJSONBuilder()
                .bay(code: code.rawValue, segment: "1001", at: stored.spec.position, kind: "disabled", sensor: "GM-NEW-1", camera: stored.spec.cameraID)
                .data()
            let summary = try await test.registry.importGeoJSON(document, cityTimeZone: "Asia/Shanghai", by: Principal(subject: "ops", role: .operator))
            #expect(summary.bays.updated == 1)
            let updated = try #require(try await test.registry.bay(code))
            #expect(updated.spec.sensorID == "GM-NEW-1")
            #expect(updated.revision == stored.revision + 1)
            let change = try #require(try await test.registry.changes(entity: .bay, entityID: code.rawValue, limit: 10).last)
            #expect(change.action == "updated")
            #expect(change.fields == [FieldChange(field: "sensor_id", from: "GM-1001-001", to: "GM-NEW-1")])
        }
    }

    @Test("A malformed file gets one clear issue", arguments: StoreKind.testCases)
    func malformed(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            for (data, code) in [(Data("{not json".utf8), "invalid_json"), (Data(#"{"type":"Feature"}"#.utf8), "not_feature_collection"), (Data(#"{"type":"FeatureCollection","features":[]}"#.utf8), "empty_import")] {
                let error = await #expect(throws: RegistryError.self) {
                    try await test.registry.importGeoJSON(data, cityTimeZone: "Asia/Shanghai", by: .system)
                }
                guard case let .rejected(rejection)? = error else { Issue.record("expected a rejection"); continue }
                #expect(rejection.issues.map(\.code) == [code])
            }
        }
    }

    /// More change records than one PostgreSQL statement can bind (65,535 parameters are 7,281 records),
    /// so the writes must go in batches.
    @Test("A city-sized import of 7,500 bays is written whole, and retiring its zone retires every bay", arguments: StoreKind.testCases)
    func citySized(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            var builder = GeoJSONBuilder().zone(id: "BIG")
            for segment in 9001...9010 {
                builder = builder.segment(id: String(segment), zone: "BIG")
                for number in 1...750 {
                    builder = builder.bay(code: try BayCode(body: String(format: "%d%03d", segment, number)).rawValue, segment: String(segment))
                }
            }
            let ops = Principal(subject: "ops", role: .operator)
            let summary = try await test.registry.importGeoJSON(builder.data(), cityTimeZone: "Asia/Shanghai", by: ops)
            #expect(summary.bays == .init(created: 7_500, updated: 0, retired: 0))
            #expect(try await BayModel.query(on: test.database).filter(\.$zoneID == "BIG").count() == 7_500)
            #expect(try await test.registry.changes(limit: 20_000).count == 7_511)
            let last = try BayCode(body: "9010750")
            #expect(try await test.registry.bay(last)?.revision == 1)

            try await test.registry.retire(.zone, id: "BIG", reason: "concession ended", by: ops)
            #expect(try await BayModel.query(on: test.database).filter(\.$lifecycle == "active").count() == 0)
            let retired = try #require(try await test.registry.bay(last))
            #expect(retired.lifecycle == .retired && retired.revision == 2)
            #expect(try await test.registry.changes(limit: 20_000).count == 15_022)
        }
    }
}
