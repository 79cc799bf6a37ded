import CurbsideAPI
import CurbsideCore
import CurbsideSimulation
import CurbsideServer
import CurbsideStore
import Foundation

extension TestApp {
    /// Runs billing rounds at the test clock's time until one issues and voids nothing.
    @discardableResult
    public func bill() async throws -> BillingRun.Round {
        let run = try await CurbsideApp.billingRun(app, configuration, store: store)
        var total = BillingRun.Round()
        while true {
            let round = try await run.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
            total.examined += round.examined
            total.issued += round.issued
            total.prepaymentsApplied += round.prepaymentsApplied
            total.voided += round.voided
            total.noBill.merge(round.noBill, uniquingKeysWith: +)
            if round.examined == 0 && round.voided == 0 { return total }
        }
    }

    /// Pays a plate's first unpaid bill through an acquirer channel (UnionPay, bank card, ETC) with a signed notification;
    /// returns the bill's number and the amount paid.
    public func payFirstBill(of plate: String, through channel: PaymentChannel, transaction: String) async throws -> (bill: String, fen: Int) {
        let citizen = try await client()
        guard let bill = try await citizen.findBills(query: .init(plate: plate, colour: .blue)).ok.body.json.items.first else {
            throw TestPostgresError("no unpaid bill for \(plate)")
        }
        let payment = try await citizen.createPayment(body: .json(.init(channel: .init(rawValue: channel.rawValue)!, bills: [bill.number]))).created.body.json
        let signed = PaymentChannelSimulator.shared.acquirer(payment: payment.id, transaction: transaction, fen: bill.amountDueFen, at: Int64(clock.now.timeIntervalSince1970))
        _ = try await citizen.acquirerNotify(channel, signed).noContent
        return (bill.number, bill.amountDueFen)
    }

    /// One round of the channel follow-up job at the test clock's time: silent orders queried, expired ones closed,
    /// refunds sent.
    @discardableResult
    public func followUp() async throws -> ChannelFollowUp.Round {
        let clock = clock
        return try await CurbsideApp.channelFollowUp(app.db, configuration, store: store, clock: { clock.now })
            .runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
    }

    /// One round of the statement job at the test clock's time.
    public func statements() async throws -> StatementReconciler.Round {
        let clock = clock
        return try await CurbsideApp.statementReconciler(app.db, configuration, store: store, clock: { clock.now })
            .runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
    }

    /// Sends what the notice outbox holds, as the background job does.
    @discardableResult
    public func dispatchNotices() async throws -> Int {
        try await CurbsideApp.dispatchNotices(app, configuration, store: store, now: Int64(clock.now.timeIntervalSince1970 * 1000))
    }
}

extension TestApp {
    /// Defines a beat (if new) and opens a shift on it for a patrol officer; returns the officer's token.
    public func openShift(officer: String = "tester", beat: String = "B1", segments: [String] = ["1001"]) async throws -> String {
        let token = try await self.token(.patrol, subject: officer)
        let supervisor = try await client(as: .operator, subject: "supervisor")
        switch try await supervisor.createBeat(body: .json(.init(id: beat, name: "Beat \(beat)", segments: segments))) {
        case .created: break
        case let .conflict(answer) where try answer.body.json.code == "beat_exists": break
        case let other: throw TestPostgresError("beat \(beat) was not defined: \(other)")
        }
        _ = try await supervisor.assignBeats(path: .init(staffId: officer), body: .json(.init(beats: [beat]))).ok
        _ = try await client(token: token).openShift(body: .json(.init(beatId: beat))).created
        return token
    }
}

/// Device events for whole stays, as a bay's detector and its camera report them.
public enum StayEvents {
    /// Arrival (detector, then, with a plate, the camera's read and two images),
    /// the detector's heartbeat every 20 minutes (to `to`, `heartbeatsUntil`,
    /// or four hours on), and, if `to` is given, departure.
    public static func stay(
        bay: String, sensor: String, camera: String = "HV-1001-A", plate: String?, colour: String = "blue", from: String, to: String?, id: String,
        heartbeatsUntil: String? = nil
    ) -> [[String: any Sendable]] {
        func image(_ n: Int, _ time: String) -> [String: any Sendable] {
            ["sha256": Self.digest("\(id)-\(n)"), "captured_at": time, "device_id": camera, "longitude": 112.9583, "latitude": 22.7651]
        }
        var events: [[String: any Sendable]] = [
            ["device_id": sensor, "event_id": "\(id)-arrive", "bay": bay, "time": from, "type": "sensor_change", "occupied": true],
        ]
        if let plate {
            events.append(["device_id": camera, "event_id": "\(id)-in", "bay": bay, "time": from, "type": "camera_arrival",
                           "plate": ["text": plate, "colour": colour, "confidence": 0.97] as [String: any Sendable], "images": [image(1, from), image(2, from)]])
        }
        let parser = ISO8601DateFormatter()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        if let start = parser.date(from: from) {
            let end = (to ?? heartbeatsUntil).flatMap(parser.date(from:)) ?? start.addingTimeInterval(4 * 3600)
            var beat = start.addingTimeInterval(20 * 60)
            while beat < end {
                events.append([
                    "device_id": sensor, "event_id": "\(id)-beat-\(Int(beat.timeIntervalSince1970))", "bay": bay, "time": formatter.string(from: beat),
                    "type": "heartbeat", "occupied": true, "battery": 90,
                ])
                beat.addTimeInterval(20 * 60)
            }
        }
        if let to {
            events.append(["device_id": sensor, "event_id": "\(id)-leave", "bay": bay, "time": to, "type": "sensor_change", "occupied": false])
            if let plate {
                events.append(["device_id": camera, "event_id": "\(id)-out", "bay": bay, "time": to, "type": "camera_departure",
                               "plate": ["text": plate, "colour": colour, "confidence": 0.95] as [String: any Sendable], "images": [image(3, to), image(4, to)]])
            }
        }
        return events
    }

    static func digest(_ text: String) -> String {
        var hash: UInt64 = 1469598103934665603
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return String(repeating: String(format: "%016llx", hash), count: 4)
    }
}

extension TestApp {
    /// The token of the notice of bill `number`: the part of its payment link after /p/, as its recipient has it.
    public func noticeToken(_ number: String) async throws -> String {
        let detail = try await client(as: .finance).getBill(path: .init(number: number)).ok.body.json
        guard let token = detail.value2.payLink.split(separator: "/").last else { throw TestPostgresError("bill \(number) has no payment link") }
        return String(token)
    }
}
