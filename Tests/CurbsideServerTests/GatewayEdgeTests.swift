import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// What a gateway sees, on both stores: a bad event is refused alone with its
/// position, id, code and field; a reused id with other content is refused and
/// kept; bay codes in either form; devices the registry does not know listed;
/// clocks judged on evidence, never on delivery; plates of every kind.
@Suite("The gateway API at the edge", .ownThread)
struct GatewayEdgeTests {
    static let now = FusionScenario.clockTime
    static func time(_ offset: TimeInterval, from base: Date = now) -> String {
        ISO8601DateFormatter.string(from: base.addingTimeInterval(offset), timeZone: TimeZone(identifier: "Asia/Shanghai")!, formatOptions: [.withInternetDateTime])
    }

    static func sensor(_ id: String, _ offset: TimeInterval, device: String = "GM-1001-001", bay: String? = nil, occupied: Bool = true) -> [String: any Sendable] {
        var event: [String: any Sendable] = ["device_id": device, "event_id": id, "time": time(offset), "type": "sensor_change", "occupied": occupied]
        if let bay { event["bay"] = bay }
        return event
    }

    static func heartbeat(_ id: String, _ offset: TimeInterval, device: String, from base: Date = now) -> [String: any Sendable] {
        ["device_id": device, "event_id": id, "time": time(offset, from: base), "type": "heartbeat", "occupied": false, "battery": 90]
    }

    static func camera(_ id: String, _ offset: TimeInterval, type: String, plate: String, confidence: Double, bay: String = "10010019", device: String = "HV-1001-A") -> [String: any Sendable] {
        let image: [String: any Sendable] = ["sha256": String(repeating: "b", count: 64), "captured_at": time(offset), "device_id": device, "longitude": 112.96, "latitude": 22.76]
        return ["device_id": device, "event_id": id, "bay": bay, "time": time(offset), "type": type,
                "plate": ["text": plate, "colour": "blue", "confidence": confidence] as [String: any Sendable], "images": [image, image]]
    }

    @Test("Badly shaped events are refused one by one, at their position; the rest of the batch is stored", arguments: StoreKind.testCases)
    func shape(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(Self.now), configure: { $0.backgroundJobs = false }) { app in
            var firmware = Self.sensor("s2", -400)
            firmware["type"] = "magnet_v2"
            var colour = Self.camera("c1", -390, type: "camera_arrival", plate: "粤J12345", confidence: 0.9)
            colour["plate"] = ["text": "粤J12345", "colour": "purple", "confidence": 0.9] as [String: any Sendable]
            var when = Self.sensor("s3", -380)
            when["time"] = "yesterday at nine"
            var battery = Self.heartbeat("h1", -370, device: "GM-1001-002")
            battery["battery"] = "80"
            let batch: [[String: any Sendable]] = [Self.sensor("s1", -600), firmware, colour, when, battery, ["event_id": 7], Self.sensor("s4", -300, occupied: false)]
            let answer = try await app.ingest(batch)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["accepted"] as? Int == 2)
            let rejected = try #require(answer.json["rejected"] as? [[String: Any]])
            #expect(rejected.map { $0["index"] as? Int } == [1, 2, 3, 4, 5])
            #expect(rejected.map { $0["id"] as? String } == ["s2", "c1", "s3", "h1", nil])
            #expect(rejected.prefix(4).map { $0["field"] as? String } == ["events[1].type", "events[2].plate.colour", "events[3].time", "events[4].battery"])
            #expect((rejected[4]["field"] as? String)?.hasPrefix("events[5]") == true)
            #expect(rejected[3]["code"] as? String == "invalid_field")
            #expect(rejected[2]["code"] as? String == "invalid_time")

            // Only what is not a batch is refused whole.
            let token = try await app.token(.gateway, subject: "gw-test")
            for body in [#"{"events": {"a": 1}}"#, #"{"events": 5}"#, #"[1, 2]"#, "{"] {
                #expect(try await app.request(.POST, "/v1/gateway/events", body: Data(body.utf8), token: token).status == 400, "\(body)")
            }
            let tooMany = (0...5000).map { Self.sensor("m\($0)", -100) }
            #expect(try await app.ingest(tooMany).status == 400)
            struct Count: Decodable { var count: Int }
            #expect(try await app.database.sql.raw("SELECT COUNT(*) AS count FROM device_events").first(decoding: Count.self)?.count == 2)
        }
    }

    @Test("An event id used again with other content is refused as event_id_conflict and kept; the same event again is a duplicate", arguments: StoreKind.testCases)
    func idReuse(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(Self.now), configure: { $0.backgroundJobs = false }) { app in
            let first = Self.sensor("0007", -3600, device: "GM-1001-003", bay: "10010035")
            #expect(try await app.ingest([first]).json["accepted"] as? Int == 1)
            // After a reboot the counter starts again: the same id, a later time, another state.
            let reset = Self.sensor("0007", -60, device: "GM-1001-003", bay: "10010035", occupied: false)
            // A harmless re-send of the first beside it, before or after, stays a duplicate.
            let answer = try await app.ingest([Self.sensor("x1", -50, device: "GM-1001-004"), reset, first])
            #expect(answer.json["accepted"] as? Int == 1)
            #expect(answer.json["duplicates"] as? Int == 1)
            let rejected = try #require(answer.json["rejected"] as? [[String: Any]])
            #expect(rejected.count == 1 && rejected.first?["index"] as? Int == 1 && rejected.first?["code"] as? String == "event_id_conflict")
            #expect(rejected.first?["id"] as? String == "0007")
            // Inside one batch too: the second of two different events under one id.
            let inside = try await app.ingest([Self.sensor("y1", -40, device: "GM-1001-005"), Self.sensor("y1", -30, device: "GM-1001-005", occupied: false)])
            #expect((inside.json["rejected"] as? [[String: Any]])?.map { $0["index"] as? Int } == [1])
            struct Row: Decodable { var device_id: String; var event_id: String; var content: String }
            let kept = try await app.database.sql.raw("SELECT device_id, event_id, content FROM event_id_conflicts ORDER BY id").all(decoding: Row.self)
            #expect(kept.map { "\($0.device_id)/\($0.event_id)" } == ["GM-1001-003/0007", "GM-1001-005/y1"])
            #expect(kept.first?.content.contains("\"occupied\":false") == true)
        }
    }

    @Test("Events name their bay by short or national code; devices the registry does not bind are listed as unbound", arguments: StoreKind.testCases)
    func codesAndDevices(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(Self.now), configure: { $0.backgroundJobs = false }) { app in
            let answer = try await app.ingest([
                Self.sensor("n1", -900, bay: "440784-1001-0019"), Self.sensor("n2", -800, device: "GM-1001-002", bay: "44078410010027"),
                Self.sensor("n3", -700, device: "GM-1001-003", bay: "110101-1001-0035"), Self.sensor("n4", -600, device: "GM-7777-001"),
                Self.sensor("n5", -500, device: "GM-7777-002"), Self.sensor("n6", -400, device: "GM-7777-001"),
            ])
            #expect(answer.json["accepted"] as? Int == 2)
            let rejected = try #require(answer.json["rejected"] as? [[String: Any]])
            #expect(rejected.map { $0["code"] as? String } == ["bay_code_other_city", "unknown_device", "unknown_device", "unknown_device"])
            let devices = try await app.get("/v1/admin/devices?needs_visit=true", as: .operator)
            let unbound = (devices.json["items"] as? [[String: Any]] ?? []).filter { ($0["reasons"] as? [String])?.contains("unbound") == true }
            #expect(unbound.map { $0["device_id"] as? String } == ["GM-7777-001", "GM-7777-002"])
            #expect(unbound.allSatisfy { $0["kind"] as? String == "unknown" && $0["gateway_id"] as? String == "gw-test" })
        }
    }

    @Test("Batching and backlogs leave exact clocks unflagged; a clock ahead, or behind in live batches, is flagged", arguments: StoreKind.testCases)
    func clocks(kind: StoreKind) async throws {
        let clock = TestClock(Self.now)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            // A day of batches every 20 s for three devices: 002 exact, 003 five seconds ahead, 004 six minutes behind.
            var id = 0
            for round in 0..<30 {
                clock.advance(by: 20)
                id += 1
                let at = clock.now
                var batch = [Self.heartbeat("e\(id)", -Double(round % 20), device: "GM-1001-002", from: at), Self.heartbeat("a\(id)", 5, device: "GM-1001-003", from: at)]
                batch.append(Self.heartbeat("b\(id)", -360 - Double(round % 7), device: "GM-1001-004", from: at))
                #expect(try await app.ingest(batch).json["accepted"] as? Int == 3)
            }
            // A gateway back after 21 minutes re-sends its backlog: exact clocks, all of it late.
            clock.advance(by: 21 * 60)
            let backlog = (1...60).map { Self.heartbeat("k\($0)", -Double(21 * 60 - $0 * 20), device: "GM-1001-005", from: clock.now) }
            #expect(try await app.ingest(backlog, gateway: "gw-late").json["accepted"] as? Int == 60)
            try await app.fuse()
            let items = try await app.get("/v1/admin/devices", as: .operator).json["items"] as? [[String: Any]] ?? []
            func flagged(_ device: String) -> Bool { (items.first { $0["device_id"] as? String == device }?["reasons"] as? [String])?.contains("clock_skew") == true }
            #expect(!flagged("GM-1001-002"))
            #expect(flagged("GM-1001-003"))
            #expect(flagged("GM-1001-004"))
            #expect(!flagged("GM-1001-005"))
            let ahead = items.first { $0["device_id"] as? String == "GM-1001-003" }?["clock_skew_ms"] as? Int
            #expect(ahead == 5000)
        }
    }

    @Test("Plates of every kind stand; text no format knows holds the stay for patrol; look-alikes are one car", arguments: StoreKind.testCases)
    func plates(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(Self.now), configure: { $0.backgroundJobs = false }) { app in
            let answer = try await app.ingest([
                Self.sensor("p1", -7200, device: "GM-1001-002", bay: "10010027"),
                Self.camera("q1", -7190, type: "camera_arrival", plate: "粤J1234应急", confidence: 0.9, bay: "10010027"),
                Self.sensor("p2", -3600, device: "GM-1001-002", bay: "10010027", occupied: false),
                Self.camera("q2", -7000, type: "camera_arrival", plate: "粤J?2#4", confidence: 0.4, bay: "20040019", device: "HV-2004-A"),
                Self.camera("q3", -3000, type: "camera_departure", plate: "无牌", confidence: 0.1, bay: "20040019", device: "HV-2004-A"),
                Self.sensor("p3", -7200, device: "GM-1001-003", bay: "10010035"),
                Self.camera("q4", -7190, type: "camera_arrival", plate: "粤JK3190", confidence: 0.70, bay: "10010035"),
                Self.camera("q5", -6000, type: "camera_read", plate: "粤JK8190", confidence: 0.93, bay: "10010035"),
                Self.sensor("p4", -3000, device: "GM-1001-003", bay: "10010035", occupied: false),
            ])
            #expect(answer.json["accepted"] as? Int == 9, "\(answer.text)")
            try await app.fuse()
            let emergency = try await app.sessions(bay: "10010027")
            #expect(emergency.map(\.plate) == ["粤J1234应急"])
            let unreadable = try await app.get("/v1/admin/sessions?bay=20040019", as: .auditor).json["items"] as? [[String: Any]] ?? []
            #expect(unreadable.count == 1)
            #expect((unreadable.first?["flags"] as? [String])?.contains("plate_unrecognised") == true)
            #expect(unreadable.first?["billable"] as? Bool == false && unreadable.first?["needs_patrol"] as? Bool == true)
            let corrected = try await app.sessions(bay: "10010035")
            #expect(corrected.map(\.plate) == ["粤JK8190"])
            #expect(corrected.first?.flags.contains("plate_corrected") == true)
        }
    }

    @Test("A shared camera's read of the neighbour's car changes nothing at this bay, even when the neighbour's own read comes later",
          arguments: StoreKind.testCases)
    func neighbour(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(Self.now), configure: { $0.backgroundJobs = false }) { app in
            // 10010027 holds 粤J55555 from -2 h; 10010019 holds 粤J11111 from -1 h 55 min; one camera watches both.
            let theirs = [
                Self.sensor("t1", -7200, device: "GM-1001-002", bay: "10010027"),
                Self.camera("t2", -7190, type: "camera_arrival", plate: "粤J55555", confidence: 0.95, bay: "10010027"),
            ]
            var here = [Self.sensor("o1", -6900), Self.camera("o2", -6890, type: "camera_arrival", plate: "粤J11111", confidence: 0.96)]
            here += [-6000.0, -5000, -4000].enumerated().map { Self.camera("m\($0.offset)", $0.element, type: "camera_read", plate: "粤J55555", confidence: 0.99) }
            here += [Self.camera("m9", -3500, type: "camera_departure", plate: "粤J55555", confidence: 0.9)]
            here += [Self.sensor("o3", -3000, occupied: false), Self.camera("o4", -2990, type: "camera_departure", plate: "粤J11111", confidence: 0.9)]
            // The neighbour's detector first, its camera read last, from a gateway that was behind.
            #expect(try await app.ingest(here + [theirs[0]]).json["accepted"] as? Int == 9)
            try await app.fuse()
            let before = try await app.sessions(bay: "10010019")
            #expect(before.map(\.plate) == ["粤J11111"])
            #expect(before.first?.flags.contains("plate_contested") == true, "not yet known as the neighbour's, the plate is contested")
            #expect(before.first?.end == Self.time(-3500), "not yet known as the neighbour's, its departure ended the stay")
            #expect(try await app.ingest([theirs[1]], gateway: "gw-late").json["accepted"] as? Int == 1)
            try await app.fuse()
            let after = try await app.sessions(bay: "10010019")
            #expect(after.map(\.plate) == ["粤J11111"])
            #expect(after.first?.flags.contains("plate_contested") == false)
            #expect(after.first?.end == Self.time(-3000), "the neighbour's departure filed here no longer ends the stay")
            #expect(try await app.sessions(bay: "10010027").map(\.plate) == ["粤J55555"])
            let replay = try await Replay(database: app.database).run()
            #expect(replay.differences.isEmpty, "\(replay.differences)")
        }
    }
}
