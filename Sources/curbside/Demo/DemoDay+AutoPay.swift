import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideServer
import CurbsideSimulation
import Foundation

/// Non-stop payment (无感支付) in the demo: a citizen's plate set to pay through
/// WeChat Pay's parking service parks and leaves, and its bill is paid
/// without the citizen doing anything; another citizen's account cannot
/// pay, and that bill falls back to the ordinary notice at once.
extension DemoDay {
    func nonStop(_ citizen: Client, plate paid: Bill, failing: Bill, finance: Client, bays: [SimulatedBay]) async throws {
        // Two bays of one road segment, so both stays are priced alike.
        let equipped = bays.filter { $0.sensorID != nil && $0.cameraID != nil }
        guard let segment = equipped.first?.segmentID else { return }
        let spare = equipped.filter { $0.segmentID == segment }
        guard spare.count >= 2 else { return }
        let other = try await citizenBinds(failing, finance: finance, phone: "13900139000", quietly: true)
        for (index, (client, bill)) in [(citizen, paid), (other, failing)].enumerated() {
            let openID = "oUpF8uMuAJOM2pxb1Q\(index)"
            _ = try await client.linkMyWeChat(body: .json(.init(code: channels.open.login(openID: openID)))).noContent
            channels.wechat.parking.open(plate: bill.plate, colour: WeChatParking.colour(PlateColour(rawValue: bill.plateColour.rawValue) ?? .blue) ?? "BLUE", openID: openID)
            _ = try await client.setAutoPay(path: .init(plate: bill.plate), body: .json(.init(colour: bill.plateColour, method: .wechat))).ok
        }
        output("")
        output("Non-stop payment (无感支付): the citizen links WeChat (a mini-program login code, exchanged by jscode2session), has WeChat Pay's parking "
               + "service open for \(paid.plate), and sets it to pay by itself (PUT /v1/citizen/plates/{plate}/auto-pay) -> wechat")
        channels.wechat.parking.failingPlates = [failing.plate]
        let gateway = client.api(try await token(.gateway, "demo-gateway"))
        // An hour and a half in the morning of the simulated day, at bays it left empty; its figures were read above.
        let morning = DemoClock.zone.utc(fromLocal: Int64(jobs.clock.simulatedDay.dayNumber) * 86_400 + 10 * 3_600)
        let arrive = morning, leave = morning + 5_400
        for (bay, bill) in zip(spare, [paid, failing]) {
            let events = Self.stay(bay: bay, plate: bill.plate, colour: bill.plateColour, arrive: arrive, leave: nil)
            _ = try await gateway.ingestEvents(body: .json(.init(events: events))).ok
        }
        try await jobs.fuse()
        _ = try await jobs.autoPay()
        if let entry = channels.wechat.parking.allEntries.first(where: { $0.plate == paid.plate && $0.parkingName.hasSuffix(spare[0].code.rawValue) }) {
            output("  \(paid.plate) parks at bay \(spare[0].code): the non-stop job enters the stay with WeChat Pay's parking service "
                   + "(POST /v3/vehicle/parking/parkings -> \(entry.state), parking id \(entry.parkingID))")
        }
        for (bay, bill) in zip(spare, [paid, failing]) {
            let events = Self.stay(bay: bay, plate: bill.plate, colour: bill.plateColour, arrive: arrive, leave: leave)
            _ = try await gateway.ingestEvents(body: .json(.init(events: events))).ok
        }
        try await jobs.fuse()
        _ = try await jobs.bill()
        _ = try await jobs.autoPay()
        let bills = try await allBills(finance)
        guard let done = bills.filter({ $0.plate == paid.plate }).max(by: { $0.issuedAt < $1.issuedAt }),
              let refused = bills.filter({ $0.plate == failing.plate }).max(by: { $0.issuedAt < $1.issuedAt })
        else { return }
        let settled = try await finished(done.number, finance: finance)
        output("  It leaves: bill \(done.number), \(Money.display(done.amountDueFen)); the deduction is taken (POST /v3/vehicle/transactions/parking -> ACCEPTED), "
               + "charged and notified (TRANSACTION.SUCCESS) -> \(settled.value1.status.rawValue), the citizen doing nothing")
        let failed = try await finished(refused.number, finance: finance)
        output("  \(refused.plate), set the same way by another citizen whose WeChat account cannot pay: TRANSACTION.FAIL -> deduction "
               + "\(failed.value2.autoDebit?.state.rawValue ?? "?") (\(failed.value2.autoDebit?.failure ?? "")); the bill's ordinary notice goes at once with the reason and "
               + "the pay link, and the bill stays \(failed.value1.status.rawValue) on the arrears ladder")
        let before = channels.sms.sent.count
        _ = try await jobs.sendNotices()
        let texts = channels.sms.sent.dropFirst(before).map(\.template).sorted()
        output("  Each citizen is told by SMS: templates \(texts.joined(separator: ", ")) (auto_debit_done, auto_debit_failed)")
        try await invoices(citizen, bill: done.number, finance: finance)
    }

    /// Waits for a bill's deduction to finish (WeChat Pay charges a moment after taking it, then notifies) and reads the bill.
    func finished(_ number: String, finance: Client) async throws -> Components.Schemas.BillDetail {
        for _ in 0..<200 {
            let state = try await finance.getBill(path: .init(number: number)).ok.body.json.value2.autoDebit?.state
            if state != nil && state != .pending && state != .requested { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await finance.getBill(path: .init(number: number)).ok.body.json
    }

    /// A stay at a bay as its detector and camera report it: the arrival, and with `leave` the detector's heartbeats (a silent
    /// detector is an outage, for patrol) and the departure.
    static func stay(bay: SimulatedBay, plate: String, colour: Components.Schemas.PlateColour, arrive: Int64, leave: Int64?) -> [Components.Schemas.DeviceEventInput] {
        guard let sensor = bay.sensorID, let camera = bay.cameraID else { return [] }
        func images(_ time: Int64, _ n: Int) -> [Components.Schemas.EvidenceImageInput] {
            (0..<2).map { i in
                .init(sha256: String(repeating: String(format: "%016llx", UInt64(time) &* 31 &+ UInt64(n * 2 + i)), count: 4), capturedAt: Date(seconds: time),
                      deviceId: camera, longitude: bay.position.longitude, latitude: bay.position.latitude)
            }
        }
        let read = Components.Schemas.PlateReadInput(text: plate, colour: .init(rawValue: colour.rawValue), confidence: 0.97)
        var events: [Components.Schemas.DeviceEventInput] = [
            .init(deviceId: sensor, eventId: "autopay-\(bay.code)-\(arrive)-in", bay: bay.code.rawValue, time: Date(seconds: arrive), _type: .sensorChange, occupied: true),
            .init(deviceId: camera, eventId: "autopay-\(bay.code)-\(arrive)-cam-in", bay: bay.code.rawValue, time: Date(seconds: arrive), _type: .cameraArrival,
                  plate: read, images: images(arrive, 0)),
        ]
        if let leave {
            for beat in stride(from: arrive + 1_200, to: leave, by: 1_200) {
                events.append(.init(deviceId: sensor, eventId: "autopay-\(bay.code)-\(beat)-beat", bay: bay.code.rawValue, time: Date(seconds: beat),
                                    _type: .heartbeat, occupied: true, battery: 90))
            }
            events.append(.init(deviceId: sensor, eventId: "autopay-\(bay.code)-\(arrive)-out", bay: bay.code.rawValue, time: Date(seconds: leave), _type: .sensorChange, occupied: false))
            events.append(.init(deviceId: camera, eventId: "autopay-\(bay.code)-\(arrive)-cam-out", bay: bay.code.rawValue, time: Date(seconds: leave),
                                _type: .cameraDeparture, plate: read, images: images(leave, 1)))
        }
        return events
    }
}
