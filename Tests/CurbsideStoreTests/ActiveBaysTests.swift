import CurbsideCore
import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Bays in service, read whole", .ownThread)
struct ActiveBaysTests {
    @Test("The city-wide read gives each bay not retired exactly as the registry's own reads do, suspensions included", arguments: StoreKind.testCases)
    func sameAsRegistry(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let ops = Principal(subject: "ops", role: .operator)
            let now = Date()
            try await test.registry.suspend(.bay, id: "10010019", Suspension(reason: "路面维修", from: now, until: now.addingTimeInterval(86_400)), by: ops)
            try await test.registry.suspend(.bay, id: "10010027", Suspension(reason: "集市", from: now.addingTimeInterval(3_600), until: nil), by: ops)
            try await test.registry.retire(.bay, id: "10010035", reason: "拆除", by: ops)

            let read = try await test.registry.activeBays()
            let expected = try await test.registry.bays(BayFilter(), limit: 10_000).filter { $0.lifecycle == .active }
            #expect(read.count == 819 && read.count == expected.count)
            #expect(read.map(\.spec.code) == expected.map(\.spec.code))
            for (bay, other) in zip(read, expected) {
                #expect(bay.spec == other.spec && bay.zoneID == other.zoneID && bay.lifecycle == other.lifecycle && bay.chainage == other.chainage)
                #expect(bay.suspension == other.suspension && bay.revision == other.revision)
                #expect(bay.createdAt == other.createdAt && bay.updatedAt == other.updatedAt)
            }
            #expect(read.first { $0.spec.code.rawValue == "10010019" }?.suspension?.reason == "路面维修")
            #expect(read.first { $0.spec.code.rawValue == "10010027" }?.suspension?.until == nil)
            #expect(!read.contains { $0.spec.code.rawValue == "10010035" })
        }
    }
}
