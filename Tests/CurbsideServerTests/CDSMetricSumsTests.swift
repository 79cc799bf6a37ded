import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The city's CDS aggregates by area and by segment come from quarter-hour
/// sums per road segment (`SegmentQuarters`); asked with a location filter
/// that takes in the whole world they count every stay one by one instead.
/// Both must say the same with deltas pending and folded, after a bay moves to
/// another segment and after one leaves service, for a window that starts on
/// the instant a stay ended, when asked before stays' recorded ends, and once
/// rebuilt from the sessions.
@Suite("CDS aggregate sums", .ownThread)
struct CDSMetricSumsTests {
    static let everywhere = "min_lat=-90&min_lng=-180&max_lat=90&max_lng=180"

    /// Each place kind's rows from the sums and one by one, for two windows: the morning, and from 10:00 (when stay A ended).
    static func compare(_ app: TestApp, _ moment: Comment) async throws {
        for window in ["start_time=\(CDSMetricsTests.hour(0))&end_time=\(CDSMetricsTests.hour(4))",
                       "start_time=\(CDSMetricsTests.hour(2))&end_time=\(CDSMetricsTests.hour(4))"] {
            for kind in ["area", "zone"] {
                let summed = try await CDSMetricsTests.csv(app, "/cds/metrics/aggregates?curb_place_type=\(kind)&\(window)")
                let counted = try await CDSMetricsTests.csv(app, "/cds/metrics/aggregates?curb_place_type=\(kind)&\(Self.everywhere)&\(window)")
                #expect(!summed.isEmpty)
                #expect(Set(summed) == Set(counted), "\(moment): \(kind), \(window)")
            }
        }
    }

    @Test("Areas and segments from the sums equal every stay counted: pending, folded, a bay moved and a bay retired", arguments: StoreKind.testCases)
    func sumsEqualStays(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            #expect(try await app.ingest(BillingFlowTests.stays()).status == 200)
            try await app.fuse()
            let quarters = SegmentQuarters(store: app.store, database: app.database)
            try await Self.compare(app, "deltas pending")

            // From 10:00, stay A's end at 10:00 is an event of the 10:00 hour, as in the morning's window.
            let fromTen = try await CDSMetricsTests.csv(
                app, "/cds/metrics/aggregates?start_time=\(CDSMetricsTests.hour(2))&end_time=\(CDSMetricsTests.hour(4))"
            )
            let members = try await CDSMetricsTests.areaBays(app)
            for row in fromTen {
                let expected = CDSMetricsTests.expected(
                    row["metric_type"]!, hour: Int64(row["hour"]!)! - 8, bays: members[row["curb_place_id"]!]!, now: CDSMetricsTests.hour(4)
                )
                #expect(expected.map { abs($0 - Double(row["value"]!)!) < 0.00006 } ?? false, "\(row) expected \(String(describing: expected))")
            }

            // Asked at 10:15, stays C, D, E and F (ending 10:30 to 11:30) are still under way, though the sums hold them as ended.
            app.clock.advance(by: -105 * 60)
            try await Self.compare(app, "asked before stays' ends")
            app.clock.advance(by: 105 * 60)

            #expect(try await quarters.consolidate(limit: 3) == 3)
            try await Self.compare(app, "some deltas folded")
            #expect(try await quarters.consolidate() > 0)
            #expect(try await quarters.consolidate() == 0)
            try await Self.compare(app, "every delta folded")

            // Bay 10010027 moves onto segment 1002; bay 10010043 leaves service.
            try await ReportSumsTests.moveBay(app, "10010027", to: "1002")
            try await Registry(store: app.store, database: app.database).retire(.bay, id: "10010043", reason: "kerb rebuilt", by: .system)
            try await Self.compare(app, "moved and retired, deltas pending")
            try await quarters.consolidate()
            try await Self.compare(app, "moved and retired, folded")

            // Segment 1001 keeps three of the four stays that started at 08:00 and one of the two at 09:00; 1002 has stay A.
            let spaces = try await CDSMetricsTests.spaces(app)
            let segmentOfSpace = try await Self.segmentOfSpace(app)
            #expect(spaces["10010043"] == nil)
            let segments = try await CDSMetricsTests.csv(
                app, "/cds/metrics/aggregates?curb_place_type=zone&metric_type=total_sessions&start_time=\(CDSMetricsTests.hour(0))&end_time=\(CDSMetricsTests.hour(2))"
            )
            func sessions(_ bay: String) throws -> [String?] {
                let space = try #require(spaces[bay])
                let segment = try #require(segmentOfSpace[space])
                return ["8", "9"].map { hour in segments.first { $0["curb_place_id"] == segment && $0["hour"] == hour }?["value"] }
            }
            #expect(try sessions("10010035") == ["3", "1"])
            #expect(try sessions("10010027") == ["1", "0"])

            // Built again from the sessions, as migration 0038 builds them, the sums say the same.
            try await SegmentQuarters.rebuild(on: app.database.sql)
            try await Self.compare(app, "rebuilt")
            #expect(try await CDSMetricsTests.csv(
                app, "/cds/metrics/aggregates?curb_place_type=zone&metric_type=total_sessions&start_time=\(CDSMetricsTests.hour(0))&end_time=\(CDSMetricsTests.hour(2))"
            ) == segments)
        }
    }

    /// CDS space id to the Curb Zone (road segment) id it is in, for the spaces in service.
    static func segmentOfSpace(_ app: TestApp) async throws -> [String: String] {
        let spaces = (try await app.request(.GET, "/cds/curbs/spaces").json["data"] as? [String: Any])?["spaces"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: spaces.map { ($0["curb_space_id"] as! String, $0["curb_zone_id"] as! String) })
    }
}
