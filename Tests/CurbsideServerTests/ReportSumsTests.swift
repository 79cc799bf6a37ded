import CurbsideCore
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The report's money comes from day sums kept as the ledger is written
/// (`ReportRollups`); they must say what summing every entry says, also
/// after a bay moves to another road segment, whose money the drill-down
/// then finds under the new segment.
@Suite("Report day sums", .ownThread)
struct ReportSumsTests {
    @Test("A bay moved to another road segment takes its money with it; the sums equal every entry before and after", arguments: StoreKind.testCases)
    func movedBay(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: { configuration in
            configuration.backgroundJobs = false
            configuration.channels = PaymentChannelSimulator.shared.settings
        }) { app in
            try await app.ingest(BillingFlowTests.stays())
            try await app.fuse()
            app.clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 5)
            let paid = try await app.payFirstBill(of: "粤J5K321", through: .unionpay, transaction: "T-SUMS-1")
            #expect(paid.fen > 0)

            let contract = try #require(try app.configuration.concessionContract())
            let now = Int64(app.clock.now.timeIntervalSince1970 * 1000)
            let sums = ReportQueries(store: app.store, database: app.database)
            var everyEntry = sums
            everyEntry.useRollups = false
            let day = ReportPeriod.day(LocalDate("2026-11-20")!), month = ReportPeriod.month(ReportMonth("2026-11")!)
            let before = try await sums.report(contract, period: day, now: now)
            #expect(try await before == everyEntry.report(contract, period: day, now: now))
            #expect(try await sums.report(contract, period: month, now: now) == everyEntry.report(contract, period: month, now: now))
            let segment1001 = try #require(before.segments.first { $0.key == "1001" }?.figures)
            #expect(segment1001.receivedFen == paid.fen && before.segments.first { $0.key == "1002" }?.figures.receivedFen ?? 0 == 0)

            // Bay 10010027 (the paid stay's) moves onto segment 1002, beside one of its bays; half its sums go to the job first.
            try await ReportRollups(store: app.store, database: app.database).consolidate(limit: 3)
            try await Self.moveBay(app, "10010027", to: "1002")

            let after = try await sums.report(contract, period: day, now: now)
            #expect(try await after == everyEntry.report(contract, period: day, now: now))
            let afterMonth = try await sums.report(contract, period: month, now: now)
            #expect(try await afterMonth == everyEntry.report(contract, period: month, now: now))
            #expect(afterMonth.segments.first { $0.key == "1002" }?.figures.receivedFen == paid.fen)
            #expect(after.segments.first { $0.key == "1002" }?.figures.receivedFen == paid.fen)
            #expect(after.segments.first { $0.key == "1001" }?.figures.receivedFen ?? 0 == 0)
            #expect(after.totals == before.totals && after.zones == before.zones)
        }
    }

    /// Moves a bay onto another road segment, beside one of that segment's bays.
    static func moveBay(_ app: TestApp, _ code: String, to segment: String) async throws {
        let registry = Registry(store: app.store, database: app.database)
        let moved = try #require(try await registry.bay(try BayCode(parsing: code)))
        let neighbour = try #require(try await registry.bays(.init(segmentID: segment), limit: 1).first)
        var spec = moved.spec
        spec.segmentID = segment
        spec.position = GeoPoint(latitude: neighbour.spec.position.latitude + 0.00001, longitude: neighbour.spec.position.longitude)
        _ = try await registry.updateBay(spec, expectedRevision: moved.revision, by: .system)
    }
}
