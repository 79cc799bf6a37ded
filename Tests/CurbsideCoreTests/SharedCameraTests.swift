import CurbsideCore
import CurbsideTestThreads
import Testing

/// The fold's rules for a read of another plate: a bay's detector decides
/// whether a car changed; a camera-only bay needs the other plate read twice,
/// surely and apart; look-alikes are misreads; unreadable text holds the stay.
@Suite("Fusion: shared cameras, look-alikes and unrecognised plates", .ownThread)
struct SharedCameraTests {
    let bay = try! BayCode(parsing: "10010019")
    let fold = SessionFold()

    struct Script {
        let bay: BayCode
        var events: [DeviceEvent] = []
        var next = 0

        mutating func add(_ device: String, _ minute: Double, _ payload: DeviceEvent.Payload) {
            next += 1
            let t = Int64(minute * 60_000)
            events.append(DeviceEvent(deviceID: device, eventID: String(next), bay: bay, deviceTime: t, receivedTime: t, payload: payload))
        }

        mutating func sensor(_ minute: Double, _ occupied: Bool) { add("GM", minute, .sensorChange(occupied: occupied)) }
        mutating func beat(_ minute: Double, _ occupied: Bool) { add("GM", minute, .heartbeat(Heartbeat(occupied: occupied, battery: 80, rssi: -70, temperatureDeci: 200))) }
        mutating func arrival(_ minute: Double, _ plate: String, _ confidence: Int) { add("HV", minute, .cameraArrival(Self.read(plate, confidence, "a\(minute)"))) }
        mutating func read(_ minute: Double, _ plate: String, _ confidence: Int) { add("HV", minute, .cameraRead(Self.read(plate, confidence, "r\(minute)")!)) }
        mutating func departure(_ minute: Double, _ plate: String, _ confidence: Int) { add("HV", minute, .cameraDeparture(Self.read(plate, confidence, "d\(minute)"))) }

        static func read(_ text: String, _ confidence: Int, _ image: String) -> PlateRead? {
            Plate.reading(text).map { PlateRead(plate: $0, colour: .blue, confidence: confidence, images: [image]) }
        }
    }

    func sessions(_ script: Script) -> [ParkingSession] {
        fold.fold(script.events, bay: bay, checkpointsAt: []).sessions
    }

    @Test("With a detector that saw nothing move, another plate never ends the stay, however sure and however often", arguments: [
        ("粤J11111", "粤J33333", [20.0], 950, false), ("粤J11111", "粤J33333", [20, 45], 970, true), ("京N88888", "京A12345", [5, 6, 7, 90], 999, true),
        ("粤JD12345", "粤J55555", [100, 102], 900, false), ("粤J11111", "沪B77777", [30, 36, 50], 700, true),
    ])
    func detectorHolds(own: String, other: String, reads: [Double], confidence: Int, contested: Bool) {
        var script = Script(bay: bay)
        script.beat(0, false)
        script.sensor(2, true)
        script.arrival(2.2, own, 960)
        for minute in reads { script.read(minute, other, confidence) }
        script.beat(60, true)
        script.sensor(180, false)
        script.departure(180.1, own, 900)
        script.beat(185, false)
        let result = sessions(script)
        #expect(result.count == 1)
        #expect(result.first?.plate?.plate.text == own)
        #expect(result.first?.start == 120_000 && result.first?.end == 10_800_000)
        #expect(result.first?.flags.contains(.plateContested) == contested)
        #expect(result.first?.evidence.allSatisfy { !$0.hasPrefix("r") } == true, "the other car's images stay out of the bill")
    }

    @Test("A swap the detector took for a flap, or a departure not yet proved, lets the new plate stand", arguments: [
        (40.0, 40.4, 40.5), (75, 75.6, 75.2), (90, 90.9, 91),
    ])
    func swapWithMovement(free: Double, occupied: Double, camera: Double) {
        var script = Script(bay: bay)
        script.beat(0, false)
        script.sensor(2, true)
        script.arrival(2.1, "粤J11111", 960)
        script.sensor(free, false)
        script.sensor(occupied, true)
        script.arrival(camera, "粤J22222", 950)
        script.sensor(150, false)
        script.departure(150.1, "粤J22222", 940)
        let result = sessions(script)
        #expect(result.map { $0.plate?.plate.text } == ["粤J11111", "粤J22222"])
        #expect(result[0].flags.contains(.endedByNextArrival))
        #expect(result[1].end == 9_000_000)
    }

    @Test("A camera-only bay takes another plate once read twice, surely, a minute apart, with nothing of the first plate between", arguments: [
        ([(30.0, 950), (32.0, 930)], true, 30.0), ([(30.0, 950)], false, 0), ([(30.0, 950), (30.5, 990)], false, 0),
        ([(30.0, 600), (40.0, 990)], false, 0), ([(30.0, 990), (40.0, 990), (50.0, 990)], true, 30.0),
    ])
    func cameraOnly(reads: [(Double, Int)], splits: Bool, at minute: Double) {
        var script = Script(bay: bay)
        script.arrival(1, "粤J11111", 960)
        for (time, confidence) in reads { script.read(time, "粤J44444", confidence) }
        script.departure(120, splits ? "粤J44444" : "粤J11111", 950)
        let result = sessions(script)
        #expect(result.count == (splits ? 2 : 1))
        if splits {
            #expect(result[0].end == Int64(minute * 60_000))
            #expect(result[1].plate?.plate.text == "粤J44444")
        } else {
            #expect(result.first?.plate?.plate.text == "粤J11111")
        }
    }

    @Test("On a camera-only bay, the departure of the plate read against the stay's ends the first car's stay at that read")
    func departureConfirms() {
        var script = Script(bay: bay)
        script.arrival(1, "粤J11111", 960)
        script.read(30, "粤J44444", 950)
        script.departure(50, "粤J44444", 700)
        let result = sessions(script)
        #expect(result.map { $0.plate?.plate.text } == ["粤J11111", "粤J44444"])
        #expect(result.map(\.end) == [1_800_000, 3_000_000])
    }

    @Test("A read of the first plate between two of another resets the count on a camera-only bay")
    func interleaved() {
        var script = Script(bay: bay)
        script.arrival(1, "粤J11111", 960)
        script.read(30, "粤J44444", 950)
        script.read(31, "粤J11111", 900)
        script.read(33, "粤J44444", 950)
        script.departure(120, "粤J11111", 950)
        #expect(sessions(script).count == 1)
    }

    @Test("A look-alike read during one stay corrects the plate by the surer read, in every group", arguments: Plate.confusionGroups.filter { $0[0].isASCII })
    func lookAlike(group: [Character]) throws {
        let first = "粤JK" + String(group[0]) + "190", second = "粤JK" + String(group[1]) + "190"
        for withDetector in [true, false] {
            var script = Script(bay: bay)
            if withDetector { script.sensor(1, true) }
            script.arrival(1.1, first, 700)
            script.read(20, second, 930)
            if withDetector { script.sensor(90, false) }
            script.departure(90.1, second, 920)
            let result = sessions(script)
            #expect(result.count == 1, "\(first) then \(second)")
            #expect(result.first?.plate?.plate.text == second)
            #expect(result.first?.flags.contains(.plateCorrected) == true)
        }
    }

    @Test("Unrecognised text holds the stay for patrol; a readable read releases it; it never splits a stay")
    func unrecognised() {
        var script = Script(bay: bay)
        script.sensor(1, true)
        script.arrival(1.1, "粤J12", 500)
        script.sensor(60, false)
        script.departure(60.1, "无牌", 0)
        var result = sessions(script)
        #expect(result.count == 1)
        #expect(result[0].plate?.plate.kind == .unrecognised)
        #expect(result[0].flags.contains(.plateUnrecognised))

        script.events.removeLast(2)
        script.read(30, "粤J12345", 800)
        script.arrival(40, "?X1", 300)
        script.sensor(60, false)
        result = sessions(script)
        #expect(result.count == 1)
        #expect(result[0].plate?.plate.text == "粤J12345")
        #expect(!result[0].flags.contains(.plateUnrecognised))
    }

    @Test("On a camera-only bay, a car taking over a stay after a long silence carries the outage", arguments: [(90.0, true), (40, false)])
    func silentTakeOver(silence: Double, outage: Bool) {
        var script = Script(bay: bay)
        script.arrival(0, "粤J11111", 950)
        script.read(30, "粤J11111", 950)
        // The first car left unseen; the next is read on arrival, then not again for a while.
        script.arrival(60, "粤J22222", 940)
        script.read(60 + silence, "粤J22222", 930)
        script.read(90 + silence, "粤J22222", 930)
        script.departure(100 + silence, "粤J22222", 920)
        let result = sessions(script)
        #expect(result.map { $0.plate?.plate.text } == ["粤J11111", "粤J22222"])
        #expect(result.last?.start == 3_600_000)
        #expect(result.last.map { $0.flags.contains(.outage) } == outage)
    }
}
