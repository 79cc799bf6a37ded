import CurbsideCore
import CurbsideRender
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The concessionaire's page in a real browser (headless Chromium): it reads
/// the report with the token it is given and shows the API's own figures,
/// both charts and the CSV downloads; with a token the API refuses, it says so.
@Suite("Concession page in a browser", .ownThread)
struct ConcessionPageTests {
    @Test("The page shows the month's figures, KPIs, charts and downloads, and the API's refusal for a patrol token")
    func page() async throws {
        _ = try HeadlessBrowser.requireOrSkip()
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(.sqlite, clock: clock, configure: { configuration in
            configuration.backgroundJobs = false
            configuration.channels = BillingFlowTests.channels.settings
        }) { app in
            #expect(try await app.ingest(BillingFlowTests.stays()).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 5)
            let fen = try await app.payFirstBill(of: "粤J5K321", through: .etc, transaction: "ETC-1").fen

            let report = try await app.get("/v1/reports/months/2026-11", as: .finance).json
            let totals = try #require(report["totals"] as? [String: Any])
            let dom = try await HeadlessBrowser.dom(app.baseURL + "/concession#month=2026-11&token=" + (try await app.token(.finance)))
            #expect(dom.contains(#"data-state="ready""#), "\(dom.suffix(2000))")
            #expect(dom.contains("实收 Received<b>\(Self.yuan(totals["received_fen"] as! Int))</b>"))
            #expect(dom.contains("应收 Receivable<b>\(Self.yuan(totals["receivable_fen"] as! Int))</b>"))
            #expect(totals["received_fen"] as? Int == fen && fen > 0)
            for kpi in KPI.allCases {
                #expect(dom.contains(#"data-kpi="\#(kpi.rawValue)""#), "\(kpi)")
            }
            #expect(dom.contains("<td>etc</td><td>\(Self.yuan(fen))</td>"))
            // Both charts loaded as images of the size the server drew.
            for chart in ["revenue", "occupancy"] {
                let png = try PNGImage.decode(Array(try await app.get("/v1/reports/months/2026-11/charts/\(chart)", as: .finance).body), as: .rgb)
                #expect(dom.contains(#"id="\#(chart)-chart" alt"#) && dom.contains(#"data-size="\#(png.width)x\#(png.height)""#), "\(chart)")
            }
            let days = try await app.get("/v1/reports/months/2026-11/csv/days", as: .finance).body.count
            #expect(dom.contains(#"download="2026-11-days.csv" data-bytes="\#(days)""#))

            let refused = try await HeadlessBrowser.dom(app.baseURL + "/concession#month=2026-11&token=" + (try await app.token(.patrol)))
            #expect(refused.contains(#"data-state="failed""#))
            #expect(refused.contains(#"role="alert">The patrol role may not call getMonthReport.</p>"#), "\(refused.suffix(1500))")
            #expect(refused.contains(#"<section id="report" hidden="">"#))
        }
    }

    /// The page's own formatting of fen.
    static func yuan(_ fen: Int) -> String { "¥" + Money.yuan(fen) }
}
