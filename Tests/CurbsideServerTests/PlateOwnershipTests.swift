import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Whoever looks a plate up learns what is owed and nothing of where or when
/// the car parked, and no handle that would let them take the plate over:
/// binding needs the token of a notice, which only the owner received.
@Suite("Plate ownership and masking over HTTP", .ownThread)
struct PlateOwnershipTests {
    @Test("Public answers carry opaque numbers only; a bill number proves nothing; the notice's token binds", arguments: StoreKind.testCases)
    func takeover(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: PaymentRulesTests.configure()) { app in
            let bills = try await PaymentRulesTests.billed(app)
            let victim = try #require(bills["粤J5K321"])
            // What the public sees: an opaque number, the day and the amounts; no bay, zone, time or link.
            let lookup = try await app.get("/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue")
            let masked = try #require((lookup.json["items"] as? [[String: Any]])?.first)
            let number = try #require(masked["number"] as? String)
            #expect(number.wholeMatch(of: /B[2-9A-HJ-NP-Z]{10}/) != nil, "\(number)")
            #expect(!lookup.text.contains("10010027") && !lookup.text.contains("SP1") && lookup.text.firstMatch(of: /T\d\d:\d\d/) == nil, "\(lookup.text)")
            for field in ["bay", "zone_id", "start", "end", "due_at", "lines", "evidence", "tariff_id"] { #expect(masked[field] == nil, "\(field) shown masked") }
            #expect(masked["due_on"] as? String != nil && masked["day"] as? String == "2026-11-20")
            #expect(!lookup.text.contains("/p/"))
            #expect(try await app.client().getBillForPayment(path: .init(number: number)).ok.body.json.bay == nil)

            // An intruder with every public handle cannot bind the plate, and so cannot see or appeal.
            let intruder = try await app.client(as: .citizen, subject: "C-INTRUDER")
            for proof in [number, "1001002720261120", String(repeating: "A", count: 10)] {
                let refused = try await intruder.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: proof)))
                #expect(try refused.unprocessableContent.body.json.code == "proof_mismatch", "\(proof)")
            }
            let appeal = try await intruder.fileAppeal(body: .json(.init(billNumber: number, reason: .notMyCar, text: "x")))
            #expect(try appeal.forbidden.body.json.code == "not_your_bill")
            #expect(try await intruder.findBills(query: .init(plate: "粤J5K321", colour: .blue)).ok.body.json.items.first?.masked == true)

            // The owner, with the notice: the token of another plate's notice does not do either.
            let owner = try await app.client(as: .citizen, subject: "C-OWNER")
            let other = try await app.noticeToken(try #require(bills["粤J33333"]).number)
            let wrong = try await owner.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: other)))
            #expect(try wrong.unprocessableContent.body.json.code == "proof_mismatch")
            _ = try await owner.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: try await app.noticeToken(victim.number)))).created
            #expect(try await owner.findBills(query: .init(plate: "粤J5K321", colour: .blue)).ok.body.json.items.first?.bay == "10010027")
        }
    }

    @Test("Anonymous look-ups are counted per address: past the limit, 429 with Retry-After", arguments: StoreKind.testCases)
    func lookupsThrottled(kind: StoreKind) async throws {
        try await withTestApp(kind, configure: { $0.edge.lookupsPerAddress = .init(5, per: 60) }) { app in
            var statuses: [Int] = []
            for index in 0..<8 {
                let path = index % 2 == 0 ? "/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue" : "/v1/pay/bills/B2345678901"
                statuses.append(try await app.get(path).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 != 429 } && statuses.suffix(3).allSatisfy { $0 == 429 }, "\(statuses)")
            let refused = try await app.get("/p/ABCDEFGHJK")
            #expect(refused.errorCode == "too_many_requests" && Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            // Staff are not counted with the public.
            #expect(try await app.get("/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue&reason=counter", as: .finance).status == 200)
        }
    }
}
