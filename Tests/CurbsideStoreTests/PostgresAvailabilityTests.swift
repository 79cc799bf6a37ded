import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Testing

@Suite("PostgreSQL", .ownThread)
struct PostgresAvailabilityTests {
    @Test("PostgreSQL is available, so every store test below also runs on it",
          .enabled(if: TestPostgres.isAvailable || TestPostgres.isRequired, Comment(rawValue: TestPostgres.skipReason)))
    func available() async throws {
        try await TestStores.with(.postgres, content: .empty) { test in
            #expect(test.kind == .postgres)
        }
    }
}
