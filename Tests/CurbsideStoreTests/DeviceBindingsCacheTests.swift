import CurbsideCore
@testable import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Device bindings, read once for every batch that asks", .ownThread)
struct DeviceBindingsCacheTests {
    @Test("Batches asking together on an empty cache share one read; a registry change makes the next ask read again", arguments: StoreKind.testCases)
    func oneReadShared(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let cache = DeviceBindingsCache()
            let handles = test.handlesOnEveryLoop()
            let read = try await withThrowingTaskGroup(of: DeviceBindings.self) { group in
                for index in 0..<8 {
                    group.addTask { try await cache.bindings(on: handles[index % handles.count]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(await cache.loads == 1)
            let sensor = "GM-1001-001"
            #expect(read.count == 8 && read.allSatisfy { $0.version == read[0].version && $0.devices.count == read[0].devices.count })
            #expect(read[0].devices[sensor]?.bays.map(\.rawValue) == ["10010019"])

            _ = try await cache.bindings(on: test.database)
            #expect(await cache.loads == 1)

            try await test.registry.retire(.bay, id: "10010019", reason: "拆除", by: Principal(subject: "ops", role: .operator))
            let after = try await cache.bindings(on: test.database)
            #expect(await cache.loads == 2)
            #expect(after.version > read[0].version && after.devices[sensor] == nil && after.zones.count == read[0].zones.count - 1)
        }
    }
}
