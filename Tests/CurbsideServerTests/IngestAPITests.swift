import CurbsideAPI
import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

@Suite("Device events over HTTP", .ownThread)
struct IngestAPITests {
    static func scenarios() -> [(String, StoreKind)] {
        FusionScenario.names.flatMap { name in StoreKind.testCases.map { (name, $0) } }
    }

    @Test("Each failure-mode fixture, pushed through the gateway API, yields exactly its sessions", arguments: scenarios())
    func fixture(name: String, kind: StoreKind) async throws {
        let scenario = try FusionScenario.load(name)
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let response = try await app.ingest(scenario.events)
            #expect(response.status == 200)
            #expect(try response.contract(Components.Schemas.EventBatchResult.self).rejected.isEmpty, "\(response.text)")
            try await app.fuse()
            let bay = scenario.sessions[0].bay
            #expect(try await app.sessions(bay: bay) == scenario.sessions, "\(scenario.description)")
        }
    }

    @Test("Events sent one at a time, folded in between, give the same sessions as one batch", arguments: StoreKind.testCases)
    func incremental(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            for name in ["new-car-before-departure", "misread-corrected", "out-of-order"] {
                let scenario = try FusionScenario.load(name)
                // Each scenario on its own day so that they do not run into one another.
                let shifted = scenario.events.map { event in
                    var event = event
                    let offset = ["new-car-before-departure": "2026-11-18", "misread-corrected": "2026-11-19", "out-of-order": "2026-11-20"][name]!
                    event["time"] = (event["time"] as! String).replacingOccurrences(of: "2026-11-20", with: offset)
                    event["event_id"] = name + "-" + (event["event_id"] as! String)
                    return event
                }
                for event in shifted {
                    try await app.ingest([event])
                    try await app.fuse()
                }
            }
            let sessions = try await app.sessions(bay: "10010019")
            #expect(sessions.count == 4)
            #expect(sessions.map(\.plate) == ["粤J11111", "粤J22222", "粤J12348", "粤J5K321"])
            let report = try await Replay(database: app.database).run()
            #expect(report.differences.isEmpty, "\(report.differences)")
            #expect(report.sessions == 4)
        }
    }

    @Test("Sending a batch again is acknowledged and stored once", arguments: StoreKind.testCases)
    func idempotent(kind: StoreKind) async throws {
        let scenario = try FusionScenario.load("out-of-order")
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let first = try await app.ingest(scenario.events)
            #expect(try first.contract(Components.Schemas.EventBatchResult.self).accepted == scenario.events.count)
            let again = try await app.ingest(scenario.events).contract(Components.Schemas.EventBatchResult.self)
            #expect(again.accepted == 0 && again.duplicates == scenario.events.count)
            struct Count: Decodable { var count: Int }
            let stored = try await app.database.sql.raw("SELECT COUNT(*) AS count FROM device_events").first(decoding: Count.self)
            #expect(stored?.count == scenario.events.count)
            try await app.fuse()
            #expect(try await app.sessions(bay: "10010019").count == 1)
        }
    }

    @Test("Every bad event is refused with its index and reason; the good ones are stored")
    func validation() async throws {
        try await withTestApp(.sqlite, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let good: [String: any Sendable] = ["device_id": "GM-1001-001", "event_id": "ok", "time": "2026-11-20T09:00:00+08:00", "type": "sensor_change", "occupied": true]
            func with(_ changes: [String: any Sendable]) -> [String: any Sendable] { good.merging(changes) { $1 } }
            let image: [String: any Sendable] = ["sha256": String(repeating: "a", count: 64), "captured_at": "2026-11-20T09:00:00+08:00", "device_id": "HV-1001-A", "longitude": 112.96, "latitude": 22.76]
            let events: [[String: any Sendable]] = [
                good,
                with(["event_id": "1", "device_id": "GM-9999-999"]),
                with(["event_id": "2", "bay": "10020014"]),
                with(["event_id": "3", "type": "camera_arrival"]),
                with(["event_id": "4", "device_id": "HV-1001-A", "bay": "10010019", "type": "camera_read", "plate": ["text": "无牌", "confidence": 0.9] as [String: any Sendable]]),
                with(["event_id": "5", "device_id": "HV-1001-A", "bay": "10010019", "type": "camera_arrival", "plate": ["text": "粤J12345", "confidence": 0.9] as [String: any Sendable], "images": [image]]),
                with(["event_id": "6", "time": "2026-11-21T09:00:00+08:00"]),
                with(["event_id": "7", "bay": "10010018"]),
                with(["event_id": "8", "occupied": NSNull()]),
            ]
            let response = try await app.ingest(events)
            #expect(response.status == 200)
            let answer = try response.contract(Components.Schemas.EventBatchResult.self)
            #expect(answer.accepted == 1)
            #expect(answer.rejected.map(\.index) == Array(1...8))
            #expect(answer.rejected.map(\.code) == [
                "unknown_device", "device_not_bound", "wrong_device_kind", "plate_required", "evidence_incomplete",
                "time_in_future", "bay_code_check_failed", "occupied_required",
            ])
            let malformed = try await app.request(.POST, "/v1/gateway/events", body: Data("{\"events\": [".utf8), token: try await app.token(.gateway))
            #expect(malformed.status == 400)
            #expect(try await app.request(.POST, "/v1/gateway/events", json: ["events": []], as: .operator).status == 403)
        }
    }

    @Test("Gateways may sign their batches with HMAC-SHA256 instead of a token")
    func signedBatches() async throws {
        try await withTestApp(.sqlite, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let operators = try await app.client(as: .operator)
            let secret = try await operators.createGateway(body: .json(.init(id: "gw-shaping-1", name: "沙坪一号网关"))).created.body.json.secret
            _ = try await operators.createGateway(body: .json(.init(id: "gw-shaping-1", name: "again"))).conflict

            let body = try JSONSerialization.data(withJSONObject: ["events": [["device_id": "GM-1001-001", "event_id": "s1", "time": "2026-11-20T09:00:00+08:00", "type": "sensor_change", "occupied": true]]])
            let timestamp = String(Int(FusionScenario.clockTime.timeIntervalSince1970))
            let signature = Gateways.signature(secret: secret, timestamp: timestamp, body: [UInt8](body))
            func send(_ signature: String, timestamp: String, body: Data) async throws -> TestResponse {
                try await app.request(.POST, "/v1/gateway/events", body: body, headers: [
                    ("X-Curbside-Gateway", "gw-shaping-1"), ("X-Curbside-Timestamp", timestamp), ("X-Curbside-Signature", signature),
                ])
            }
            let signed = try await send(signature, timestamp: timestamp, body: body)
            #expect(signed.status == 200)
            #expect(try signed.contract(Components.Schemas.EventBatchResult.self).accepted == 1)
            var tampered = body
            tampered[tampered.count - 3] = UInt8(ascii: "x")
            #expect(try await send(signature, timestamp: timestamp, body: tampered).errorCode == "signature_invalid")
            let old = String(Int(FusionScenario.clockTime.timeIntervalSince1970) - 3600)
            #expect(try await send(Gateways.signature(secret: secret, timestamp: old, body: [UInt8](body)), timestamp: old, body: body).errorCode == "signature_expired")
            #expect(try await app.request(.POST, "/v1/gateway/events", body: body).status == 401)
            let listed = try await app.get("/v1/admin/gateways", as: .auditor)
            #expect(!listed.text.contains(secret))
        }
    }

    @Test("Evidence images are stored by digest; bytes that do not match their digest are refused", arguments: StoreKind.testCases)
    func images(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array("evidence of 粤J12345 at 10010019".utf8) + [0xFF, 0xD9]
            let digest = Evidence.digest(jpeg)
            let token = try await app.token(.gateway)
            let put = try await app.request(.PUT, "/v1/gateway/images/\(digest)", body: Data(jpeg), contentType: "image/jpeg", token: token)
            #expect(put.status == 201)
            #expect(try await app.request(.PUT, "/v1/gateway/images/\(digest)", body: Data(jpeg), contentType: "image/jpeg", token: token).status == 200)
            let wrong = try await app.request(.PUT, "/v1/gateway/images/\(String(repeating: "0", count: 64))", body: Data(jpeg), contentType: "image/jpeg", token: token)
            #expect(wrong.status == 422)
            #expect(wrong.errorCode == "image_digest_mismatch")
            let text = Array("not an image".utf8)
            #expect(try await app.request(.PUT, "/v1/gateway/images/\(Evidence.digest(text))", body: Data(text), contentType: "image/jpeg", token: token).errorCode == "not_an_image")

            let fetched = try await app.get("/v1/admin/evidence/\(digest)", as: .operator)
            #expect(fetched.status == 200)
            #expect([UInt8](fetched.body) == jpeg)
            #expect(try await app.get("/v1/admin/evidence/\(digest)").status == 401)

            let image: (String) -> [String: any Sendable] = { ["sha256": $0, "captured_at": "2026-11-20T09:00:05+08:00", "device_id": "HV-1001-A", "longitude": 112.958, "latitude": 22.765] }
            let other = String(repeating: "b", count: 64)
            let arrival: [String: any Sendable] = ["device_id": "HV-1001-A", "event_id": "a1", "bay": "10010019", "time": "2026-11-20T09:00:05+08:00", "type": "camera_arrival",
                                                   "plate": ["text": "粤J12345", "colour": "blue", "confidence": 0.97] as [String: any Sendable], "images": [image(digest), image(other)]]
            let response = try await app.ingest([arrival])
            #expect(try response.contract(Components.Schemas.EventBatchResult.self).missingImages == [other])
        }
    }

    @Test("Device health: battery, clock skew, offline with comms_lost, back with comms_restored")
    func deviceHealth() async throws {
        let clock = TestClock(FusionScenario.clockTime)
        try await withTestApp(.sqlite, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let now = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(3))
            try await app.ingest([
                ["device_id": "GM-1001-001", "event_id": "h1", "time": now, "type": "heartbeat", "occupied": false, "battery": 12, "rssi": -95, "temperature": 31.5],
                ["device_id": "GM-1002-001", "event_id": "h1", "time": ISO8601DateFormatter().string(from: clock.now), "type": "heartbeat", "occupied": false, "battery": 90],
            ])
            // Device health is recorded by the background round, run here by hand.
            try await app.fuse()
            var devices = try await app.client(as: .patrol).listDevices(query: .init(needsVisit: true)).ok.body.json.items
            #expect(devices.count == 1)
            #expect(devices.first?.deviceId == "GM-1001-001")
            #expect(Set(devices.first?.reasons.map(\.rawValue) ?? []) == ["low_battery", "clock_skew"])
            #expect(devices.first?.clockSkewMs.map { $0 >= 2_900 && $0 <= 3_100 } == true)
            #expect(devices.first?.temperature == 31.5)

            clock.advance(by: 20 * 60)
            let lost = try await DeviceRegistry(store: app.store, database: app.database).markOffline(offlineAfter: app.configuration.ingest.deviceOfflineAfter, now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(lost == ["GM-1001-001", "GM-1002-001"])
            devices = try await app.client(as: .operator).listDevices(query: .init(needsVisit: true)).ok.body.json.items
            #expect(devices.allSatisfy { $0.reasons.contains(.offline) })

            try await app.ingest([["device_id": "GM-1002-001", "event_id": "h2", "time": ISO8601DateFormatter().string(from: clock.now), "type": "heartbeat", "occupied": true]])
            try await app.fuse()
            let status = try await app.client(as: .auditor).listDeviceStatusEvents().ok.body.json.items
            #expect(status.map { "\($0.deviceId) \($0.kind.rawValue)" } == ["GM-1001-001 comms_lost", "GM-1002-001 comms_lost", "GM-1002-001 comms_restored"])
        }
    }

    @Test("An accepted event shows in public availability as soon as it is acknowledged", arguments: StoreKind.testCases)
    func liveOccupancy(kind: StoreKind) async throws {
        let clock = TestClock(FusionScenario.clockTime)
        try await withTestApp(kind, clock: clock) { app in
            let anyone = try await app.client()
            let before = try await anyone.getZoneAvailability(path: .init(zoneId: "SP1")).ok.body.json.counts
            #expect(before.occupied == nil)
            let time = ISO8601DateFormatter().string(from: clock.now)
            // Occupancy is written in the same transaction as the events, so the first
            // read after the acknowledgment already sees it, before any background round.
            try await app.ingest([
                ["device_id": "GM-1001-001", "event_id": "o1", "time": time, "type": "sensor_change", "occupied": true],
                ["device_id": "GM-1001-002", "event_id": "o1", "time": time, "type": "heartbeat", "occupied": false],
            ])
            let counts = try await anyone.getZoneAvailability(path: .init(zoneId: "SP1")).ok.body.json.counts
            #expect(counts.occupied == 1 && counts.free == 1 && counts.unknown == 310)
            let taken = try await anyone.lookupBay(path: .init(code: "10010019")).ok.body.json
            let free = try await anyone.lookupBay(path: .init(code: "10010027")).ok.body.json
            #expect(taken.occupancy == .occupied && free.occupancy == .free)

            // The background worker folds the arrival into an open session on its own.
            let operators = try await app.client(as: .operator)
            var open = 0
            _ = try await Loopback.eventually(every: .milliseconds(50)) {
                try await app.ingest([["device_id": "GM-1001-001", "event_id": "o2", "time": ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(90)), "type": "heartbeat", "occupied": true]])
                let listed = try await operators.listSessions(query: .init(bay: "10010019", status: .open))
                open = try listed.ok.body.json.items.count
                return open > 0
            }
            #expect(open == 1)
        }
    }

    @Test("A late event that changes a billed session leaves a correction record; one that removes it, a void record", arguments: StoreKind.testCases)
    func billedCorrections(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let scenario = try FusionScenario.load("missed-departure")
            try await app.ingest(scenario.events)
            try await app.fuse()
            let sql = app.database.sql
            try await sql.raw("UPDATE parking_sessions SET billed_ms = 1795147000000").run()
            // The departure the detector missed arrives late: the session really ended at 10:40.
            try await app.ingest([["device_id": "GM-1001-001", "event_id": "late-departure", "time": "2026-11-20T10:40:00+08:00", "type": "sensor_change", "occupied": false]])
            try await app.fuse()
            let finance = try await app.client(as: .finance)
            let corrections = try await finance.listSessionCorrections().ok.body.json.items
            #expect(corrections.count == 1)
            #expect(corrections.first?.kind == .correction)
            #expect(corrections.first?.before?.end == (try Date(rfc3339: "2026-11-20T03:30:00Z")))
            #expect(corrections.first?.after?.end == (try Date(rfc3339: "2026-11-20T02:40:00Z")))
            // The heartbeats at 11:00 and 11:30 still report a car: a second one, whose arrival was missed.
            let sessions = try await app.sessions(bay: "10010019")
            #expect(sessions.map(\.end) == ["2026-11-20T10:40:00+08:00", "2026-11-20T11:30:00+08:00"])
            #expect(sessions.last?.flags == ["start_estimated", "end_estimated"])

            // A late departure 30 s after the arrival makes that arrival a flap: the billed stay did not
            // happen as billed. The 10:30 heartbeat then starts a stay whose arrival was missed.
            try await app.ingest([["device_id": "GM-1001-001", "event_id": "late-free", "time": "2026-11-20T10:00:30+08:00", "type": "sensor_change", "occupied": false]])
            try await app.fuse()
            #expect(try await finance.listSessionCorrections().ok.body.json.items.map(\.kind) == [.correction, .void])
            let listed = try await app.client(as: .auditor).listSessions(query: .init(bay: "10010019")).ok.body.json.items
            #expect(listed.map(\.status) == [.void, .closed, .closed])
            #expect(listed.first?.id == "10010019-1795140000000")
            #expect(listed[1].flags == [.startEstimated])
        }
    }
}
