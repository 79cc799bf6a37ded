import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// The city platform feed against a real HTTP receiver: entry and exit
/// records with image digests, fee records with payment types, and the
/// correction and void records of stays already sent, through an outage of
/// minutes and answers lost on the way back; every record arrives once, each
/// bay's in order.
@Suite("City platform feed", .ownThread)
struct CityFeedTests {
    static func settings(_ receiver: CityPlatformReceiver) -> CityFeedSettings {
        CityFeedSettings(url: receiver.url, keyID: "heshan", secret: receiver.secret, batchSize: 50)
    }

    @Test("The platform goes down for minutes and comes back: every record arrives once, in order, after back-off", arguments: StoreKind.testCases)
    func outage(kind: StoreKind) async throws {
        let receiver = try await CityPlatformReceiver()
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { configuration in
            configuration.backgroundJobs = false
            configuration.channels = BillingFlowTests.channels.settings
        }) { app in
            let feed = CurbsideApp.cityFeed(app.app, Self.settings(receiver), store: app.store)
            func now() -> Int64 { Int64(clock.now.timeIntervalSince1970 * 1000) }

            // The platform is up: the morning's stays go out as entries and exits.
            #expect(try await app.ingest(BillingFlowTests.stays()).status == 200)
            try await app.fuse()
            while try await feed.runOnce(now: now()) ?? 0 > 0 {}
            let morning = receiver.records
            let statics = morning.filter { $0.record["kind"] as? String == "static" }
            #expect(statics.count == (try await Self.registryChanges(app)))
            let bay = try #require(statics.first { ($0.record["change"] as? [String: Any])?["id"] as? String == "10010027" }?.record["change"] as? [String: Any])
            #expect(bay["entity"] as? String == "bay" && bay["action"] as? String == "created" && (bay["fields"] as? [Any])?.isEmpty == false)
            #expect(morning.filter { $0.record["kind"] as? String == "entry" }.count == 7)
            #expect(morning.filter { $0.record["kind"] as? String == "exit" }.count == 6)
            let entry = try #require(morning.first { ($0.record["stay"] as? [String: Any])?["bay"] as? String == "10010027" })
            let stay = try #require(entry.record["stay"] as? [String: Any])
            // The whole stay came in one batch: the entry carries its arrival's and departure's images.
            #expect(stay["plate"] as? String == "粤J5K321" && (stay["images"] as? [String])?.count == 4)

            // Down for five minutes while bills are issued and one is paid through UnionPay.
            receiver.mode = .down
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 5)
            let (bill, fen) = try await app.payFirstBill(of: "粤J44444", through: .unionpay, transaction: "UP-77")
            var waits: [Int64] = []
            let outageEnds = now() + 5 * 60_000
            while now() < outageEnds {
                #expect(try await feed.runOnce(now: now()) == nil)
                let next = try await Self.headNext(app)
                waits.append(next - now())
                clock.now = Date(timeIntervalSince1970: TimeInterval(next) / 1000)
                // Tried before it is due, it waits.
                #expect(try await feed.runOnce(now: next - 1) == 0)
            }
            #expect(Array(waits.prefix(4)) == [1_000, 2_000, 4_000, 4_000])
            #expect(waits.dropFirst(2).allSatisfy { $0 == 4_000 } && waits.count > 70)
            #expect(receiver.records.count == morning.count)

            // Back up, but the first answer is lost: the batch is sent again and kept once.
            let queued = try await FeedOutbox(store: app.store, database: app.database).backlog()
            #expect(queued >= 6)
            receiver.mode = .loseAnswers
            #expect(try await feed.runOnce(now: now()) == nil)
            receiver.mode = .up
            clock.advance(by: 30)
            // A new sender (as after a restart) picks up where the outbox stands.
            let restarted = CurbsideApp.cityFeed(app.app, Self.settings(receiver), store: app.store)
            while try await restarted.runOnce(now: now()) ?? 0 > 0 {}
            #expect(receiver.repeated == queued)

            let fees = receiver.records.compactMap { $0.record["fee"] as? [String: Any] }
            #expect(fees.filter { $0["kind"] as? String == "receivable" }.count == 5)
            let received = try #require(fees.first { $0["kind"] as? String == "received" })
            #expect(received["payment_type"] as? String == "unionpay" && received["amount_fen"] as? Int == fen && received["bill"] as? String == bill)

            // Every outbox record arrived once, in id order (so each bay's in order).
            struct Row: Decodable { var id: Int64; var sent_ms: Int64? }
            let outbox = try await app.database.sql.raw("SELECT id, sent_ms FROM feed_outbox ORDER BY id").all(decoding: Row.self)
            #expect(outbox.allSatisfy { $0.sent_ms != nil })
            #expect(receiver.records.map(\.id) == outbox.map(\.id))
            #expect(receiver.refusedBatches >= 10)
        }
        try await receiver.stop()
    }

    @Test("A stay already sent that a late camera read changes goes out again as a correction", arguments: StoreKind.testCases)
    func corrections(kind: StoreKind) async throws {
        let receiver = try await CityPlatformReceiver()
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let feed = CurbsideApp.cityFeed(app.app, Self.settings(receiver), store: app.store)
            func send() async throws { while try await feed.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)) ?? 0 > 0 {} }
            let at = { (time: String) in "2026-11-20T\(time):00+08:00" }
            #expect(try await app.ingest(StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: nil, from: at("09:00"), to: at("10:00"), id: "S")).status == 200)
            try await app.fuse()
            try await send()
            // The camera's read of the same stay arrives late: the stay gains a plate.
            let late = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J7L000", from: at("09:00"), to: nil, id: "S")
                .filter { $0["type"] as? String == "camera_arrival" }
            #expect(late.count == 1)
            #expect(try await app.ingest(late).status == 200)
            try await app.fuse()
            try await send()
            let stays = receiver.records.filter { $0.record["stay"] != nil }
            let kinds = stays.map { $0.record["kind"] as! String }
            // The departure waits for a later event to settle it, so the stay is still open in both.
            #expect(kinds == ["entry", "correction"], "\(stays.map(\.record))")
            let first = try #require(stays.first?.record["stay"] as? [String: Any])
            let corrected = try #require(stays.last?.record["stay"] as? [String: Any])
            #expect(first["plate"] == nil && (first["images"] as? [String])?.isEmpty == true)
            #expect(corrected["plate"] as? String == "粤J7L000" && (corrected["images"] as? [String])?.count == 2)
            #expect(corrected["session"] as? String == first["session"] as? String)
        }
        try await receiver.stop()
    }

    @Test("Road segments' occupied and free counts go out when they change, and each at least every ten minutes", arguments: StoreKind.testCases)
    func occupancy(kind: StoreKind) async throws {
        let receiver = try await CityPlatformReceiver()
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let feed = CurbsideApp.cityFeed(app.app, Self.settings(receiver), store: app.store)
            // A second outbox stands in for another server, or this one after a restart: it knows only what the database does.
            let outboxes = [FeedOutbox(store: app.store, database: app.database), FeedOutbox(store: app.store, database: app.database)]
            func now() -> Int64 { Int64(clock.now.timeIntervalSince1970 * 1000) }
            func publish(through outbox: Int = 0) async throws -> [[String: Any]] {
                let before = receiver.records.count
                try await outboxes[outbox].publishOccupancy(now: now(), freshness: app.configuration.ingest.deviceOfflineAfter)
                while try await feed.runOnce(now: now()) ?? 0 > 0 {}
                let records = receiver.records.dropFirst(before).filter { $0.record["kind"] as? String == "occupancy" }
                return records.compactMap { $0.record["occupancy"] as? [String: Any] }
            }
            let zones = (try await app.request(.GET, "/cds/curbs/zones").json["data"] as? [String: Any])?["zones"] as? [[String: Any]] ?? []
            let bays = try #require(zones.first { $0["user_zone_id"] as? String == "1001" }?["num_spaces"] as? Int)

            // A car arrives in 10010027 at 19:50; the first round sends every segment, once, though two servers run it at the same time.
            let arrival = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: "2026-11-20T19:50:00+08:00", to: nil, id: "O")
            #expect(try await app.ingest(arrival).status == 200)
            try await app.fuse()
            let freshness = app.configuration.ingest.deviceOfflineAfter
            async let one = outboxes[0].publishOccupancy(now: now(), freshness: freshness)
            async let other = outboxes[1].publishOccupancy(now: now(), freshness: freshness)
            #expect(try await one + other == zones.count)
            var records = try await publish()
            #expect(records.count == zones.count)
            let first = try #require(records.first { $0["segment"] as? String == "1001" })
            #expect(first["bays"] as? Int == bays && first["occupied"] as? Int == 1 && first["free"] as? Int == 0 && first["unknown"] as? Int == bays - 1)
            #expect(first["zone"] as? String == "SP1" && first["ev_bays"] as? Int != nil && first["ev_free"] as? Int != nil)
            #expect(records.allSatisfy { ($0["occupied"] as! Int) + ($0["free"] as! Int) + ($0["unknown"] as! Int) == $0["bays"] as! Int })

            // Nothing changed: nothing goes out, from this server or another.
            #expect(try await publish().isEmpty)
            #expect(try await publish(through: 1).isEmpty)

            // The car leaves at 19:58: only its segment goes out, the bay now free, whichever server looks.
            let departure = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: "2026-11-20T19:50:00+08:00", to: "2026-11-20T19:58:00+08:00", id: "O")
            #expect(try await app.ingest(departure).status == 200)
            try await app.fuse()
            records = try await publish(through: 1)
            #expect(records.map { $0["segment"] as? String } == ["1001"])
            #expect(records.first?["occupied"] as? Int == 0 && records.first?["free"] as? Int == 1)
            #expect(try await publish().isEmpty)

            // Ten minutes on, every segment goes out again, unchanged.
            clock.advance(by: 600)
            #expect(try await publish().count == zones.count)

            // Its detector goes silent past the offline time (and ten minutes more have passed): the bay is unknown again, not free.
            clock.advance(by: TimeInterval(app.configuration.ingest.deviceOfflineAfter / 1000))
            records = try await publish()
            let silent = try #require(records.first { $0["segment"] as? String == "1001" })
            #expect(records.count == zones.count && silent["free"] as? Int == 0 && silent["unknown"] as? Int == bays)
            #expect(receiver.repeated == 0)
        }
        try await receiver.stop()
    }

    @Test("With the feed configured, the server sends records as they come, without being asked")
    func background() async throws {
        let receiver = try await CityPlatformReceiver()
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: { configuration in
            configuration.cityFeed = Self.settings(receiver)
        }) { app in
            #expect(try await app.ingest(BillingFlowTests.stays()).status == 200)
            func stays() -> Int { receiver.records.filter { ["entry", "exit"].contains($0.record["kind"] as? String) }.count }
            _ = try await Loopback.eventually { stays() >= 13 }
            #expect(stays() == 13 && receiver.repeated == 0)
            // Every road segment's counts went out on start, unasked.
            let segments = Set(receiver.records.compactMap { ($0.record["occupancy"] as? [String: Any])?["segment"] as? String })
            #expect(segments.count == 14)
            // The registry loaded at start went first, as static data.
            #expect(receiver.records.prefix { $0.record["kind"] as? String == "static" }.count == (try await Self.registryChanges(app)))
        }
        try await receiver.stop()
    }

    static func registryChanges(_ app: TestApp) async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await app.database.sql.raw("SELECT COUNT(*) AS n FROM registry_changes").first(decoding: Row.self)?.n ?? -1
    }

    static func headNext(_ app: TestApp) async throws -> Int64 {
        struct Row: Decodable { var next_ms: Int64 }
        return try #require(try await app.database.sql.raw("SELECT next_ms FROM feed_outbox WHERE sent_ms IS NULL ORDER BY id LIMIT 1")
            .first(decoding: Row.self)).next_ms
    }
}
