import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Retention and anonymisation on both stores, as parkkihubi tests its
/// own: what is kept, what is gone, what is held back (an unpaid bill, an
/// appeal in progress, a legal hold), and the figures unchanged.
@Suite("Retention and anonymisation", .ownThread)
struct RetentionTests {
    struct Row: Decodable { var plate: String?; var evidence: String? }
    struct EventRow: Decodable { var plate: String?; var images: String? }

    static func session(_ app: TestApp, _ number: String) async throws -> Row {
        let id = try await app.billDetail(number).value1.sessionId
        return try #require(try await app.database.sql.raw("SELECT plate, evidence FROM parking_sessions WHERE id = \(bind: id)").first(decoding: Row.self))
    }

    static func events(_ app: TestApp, bay: String, from: String, to: String) async throws -> [EventRow] {
        let (start, end) = (Int64(try Date(rfc3339: from).timeIntervalSince1970 * 1000), Int64(try Date(rfc3339: to).timeIntervalSince1970 * 1000))
        return try await app.database.sql.raw("""
            SELECT plate, images FROM device_events WHERE bay_code = \(bind: bay) AND device_time_ms BETWEEN \(bind: start) AND \(bind: end) AND kind <> 0
            ORDER BY id
            """).all(decoding: EventRow.self)
    }

    static func png(_ n: UInt8) -> [UInt8] { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, n, n, n] }

    @Test("Past their periods plates become one pseudonym and images go; unpaid, appealed and legally held stays are kept; reports unchanged; a hold released lets them go", arguments: StoreKind.testCases)
    func retention(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: {
            $0.backgroundJobs = false
            $0.notices = .directory(NSTemporaryDirectory() + "curbside-retention-\(UUID().uuidString)")
            // The events themselves stay a year here, to show them anonymised; `eventRows` below sees them go.
            $0.retention.periods.eventRows = 365
        }) { app in
            func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
            let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("08:00"), to: at("10:00"), id: "A")
                + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J33333", from: at("09:00"), to: at("11:00"), id: "D")
                + StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: at("08:30"), to: at("11:30"), id: "E")
                + StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J66666", from: at("10:30"), to: at("11:40"), id: "R")
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 4)
            let bills = try await BillingFlowTests.billsByPlate(app)
            let (appealed, unpaid, held, gone) = (bills["粤J5K321"]!.number, bills["粤J33333"]!.number, bills["粤J44444"]!.number, bills["粤J66666"]!.number)
            let finance = try await app.client(as: .finance)
            for number in [appealed, held, gone] { _ = try await finance.createPayment(body: .json(.init(channel: .cash, bills: [number]))).created }
            #expect(try await app.dispatchNotices() == 4)
            let citizen = try await app.client(as: .citizen, subject: "C-RETAIN")
            _ = try await citizen.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: try await app.noticeToken(appealed)))).created
            _ = try await citizen.fileAppeal(body: .json(.init(billNumber: appealed, reason: .other, text: "没有停这么久"))).created
            let admin = try await app.client(as: .admin)
            let hold = try await admin.placeLegalHold(body: .json(.init(plate: "粤J44444", colour: .blue, reason: "法院调取"))).created.body.json
            #expect(try await admin.listLegalHolds().ok.body.json.items.map(\.id) == [hold.id])
            let both = try await admin.placeLegalHold(body: .json(.init(plate: "粤J44444", sessionId: "S", reason: "x")))
            #expect(try both.unprocessableContent.body.json.code == "hold_invalid")
            #expect(try await admin.releaseLegalHold(path: .init(id: "LH-NONE")).notFound.body.json.code == "hold_not_found")

            // Images: one of the appealed stay, one of the stay that goes; a third is stored months later.
            let objects = FileEvidenceObjects(directory: app.configuration.files.evidence)
            let evidence = Evidence(store: app.store, database: app.database, objects: objects)
            let now = { Int64(clock.now.timeIntervalSince1970 * 1000) }
            let (keptImage, goneImage, recentImage) = (Evidence.digest(Self.png(1)), Evidence.digest(Self.png(2)), Evidence.digest(Self.png(3)))
            _ = try await evidence.upload(Self.png(1), sha256: keptImage, at: now())
            _ = try await evidence.upload(Self.png(2), sha256: goneImage, at: now())
            for (number, digest) in [(appealed, keptImage), (gone, goneImage)] {
                let id = try await app.billDetail(number).value1.sessionId
                try await app.database.sql.raw("UPDATE parking_sessions SET evidence = \(bind: "[\"\(digest)\"]") WHERE id = \(bind: id)").run()
            }

            // Half a year and a month later: past every period. The day's report as it reads then, before the run.
            clock.advance(by: 211 * 86_400)
            let report = try await finance.getDayReport(path: .init(date: "2026-11-20")).ok.body.json
            _ = try await evidence.upload(Self.png(3), sha256: recentImage, at: now())
            let retention = CurbsideApp.retention(app.database, app.configuration, store: app.store)
            let run = try await retention.run(now: now())
            #expect(run.sessions == 1 && run.notices == 1 && run.images == 1 && !run.unfinished)

            // The stay that goes: its plate is one pseudonym in the session and every event, images and notices gone.
            let goneSession = try await Self.session(app, gone)
            let pseudonym = try #require(goneSession.plate)
            #expect(pseudonym.hasPrefix("~") && pseudonym.count == 21 && goneSession.evidence == "[]")
            let goneEvents = try await Self.events(app, bay: "10010027", from: at("10:30"), to: at("11:40"))
            #expect(!goneEvents.isEmpty && goneEvents.allSatisfy { ($0.plate == nil || $0.plate == pseudonym) && $0.images == nil })
            #expect(goneEvents.contains { $0.plate == pseudonym })
            let goneRow = try await evidence.image(sha256: goneImage), goneFile = try await objects.get(sha256: goneImage)
            #expect(goneRow == nil && goneFile == nil)
            let goneNotice = try #require(try await app.billDetail(gone).value2.notices.first)
            #expect(goneNotice.recipient == "anonymised" && goneNotice.text.isEmpty && goneNotice.link.isEmpty)

            // Held back, whole: the appealed stay (and its image), the unpaid one, the one under a legal hold.
            for (number, plate) in [(appealed, "粤J5K321"), (unpaid, "粤J33333"), (held, "粤J44444")] {
                #expect(try await Self.session(app, number).plate == plate, "\(plate)")
                #expect(try await app.billDetail(number).value2.notices.first?.recipient.hasSuffix("粤J\(plate.dropFirst(2))/blue") == true, "\(plate)")
            }
            #expect(try await Self.events(app, bay: "10010027", from: at("08:00"), to: at("10:00")).contains { $0.plate == "粤J5K321" && $0.images != nil })
            #expect(try await Self.events(app, bay: "10010051", from: at("08:30"), to: at("11:30")).contains { $0.plate == "粤J44444" })
            let kept = try await evidence.image(sha256: keptImage), recent = try await evidence.image(sha256: recentImage)
            #expect(kept != nil && recent != nil)

            // The figures read the same, and the run is in the audit log.
            #expect(try await finance.getDayReport(path: .init(date: "2026-11-20")).ok.body.json == report)
            let audit = try await admin.listAuditLog(query: .init(subject: "run")).ok.body.json.items.filter { $0.action == "retention" }
            #expect(audit.count == 1 && audit.first?.detail.additionalProperties["sessions"] == "1")

            // Again: nothing left to do. The hold released, its stay goes, under the same pseudonym rules.
            #expect(try await retention.run(now: now()).sessions == 0)
            _ = try await admin.releaseLegalHold(path: .init(id: hold.id)).noContent
            #expect(try await retention.run(now: now()).sessions == 1)
            #expect(try await Self.session(app, held).plate?.hasPrefix("~") == true)
            #expect(try await Self.events(app, bay: "10010051", from: at("08:30"), to: at("11:30")).allSatisfy { $0.plate == nil || $0.plate!.hasPrefix("~") })
        }
    }

    @Test("One plate, one pseudonym, whatever the row; another colour or another key, another pseudonym")
    func pseudonyms() {
        let key = PlatePseudonym(key: .init(data: Data(repeating: 7, count: 32)))
        let other = PlatePseudonym(key: .init(data: Data(repeating: 8, count: 32)))
        #expect(key(plate: "粤J66666", colour: "blue") == key(plate: "粤J66666", colour: "blue"))
        #expect(key(plate: "粤J66666", colour: "blue") != key(plate: "粤J66666", colour: "green"))
        #expect(key(plate: "粤J66666", colour: "blue") != other(plate: "粤J66666", colour: "blue"))
        #expect(PlatePseudonym.isPseudonym(key(plate: "粤J66666", colour: nil)) && !PlatePseudonym.isPseudonym("粤J66666"))
    }
}
