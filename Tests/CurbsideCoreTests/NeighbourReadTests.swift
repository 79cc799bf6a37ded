import CurbsideCore
import CurbsideTestThreads
import Testing

/// A high-mount camera watches several bays and now and then files the plate
/// of the car next door under this bay. The fold knows which plate stands in
/// each neighbouring bay from the same camera's reads, and such a read
/// changes nothing here, whatever the bay's devices and whenever it comes.
@Suite("Fusion: a shared camera's read of the neighbour's car", .ownThread)
struct NeighbourReadTests {
    let here = try! BayCode(parsing: "10010019")
    let next = try! BayCode(parsing: "10010027")
    let fold = SessionFold()

    struct Street {
        var events: [DeviceEvent] = []
        var count = 0

        mutating func add(_ device: String, _ bay: BayCode, _ minute: Double, _ payload: DeviceEvent.Payload) {
            count += 1
            let t = Int64(minute * 60_000)
            events.append(DeviceEvent(deviceID: device, eventID: String(count), bay: bay, deviceTime: t, receivedTime: t, payload: payload))
        }

        mutating func sensor(_ bay: BayCode, _ minute: Double, _ occupied: Bool) { add("GM-" + bay.rawValue, bay, minute, .sensorChange(occupied: occupied)) }
        mutating func beat(_ bay: BayCode, _ minute: Double, _ occupied: Bool) {
            add("GM-" + bay.rawValue, bay, minute, .heartbeat(Heartbeat(occupied: occupied, battery: 80, rssi: -70, temperatureDeci: 200)))
        }
        mutating func arrival(_ bay: BayCode, _ minute: Double, _ plate: String?, _ confidence: Int = 960) {
            add("HV", bay, minute, .cameraArrival(plate.flatMap { Self.read($0, confidence, "a\(bay.rawValue)-\(minute)") }))
        }
        mutating func read(_ bay: BayCode, _ minute: Double, _ plate: String, _ confidence: Int = 960) {
            add("HV", bay, minute, .cameraRead(Self.read(plate, confidence, "r\(bay.rawValue)-\(minute)")!))
        }
        mutating func departure(_ bay: BayCode, _ minute: Double, _ plate: String, _ confidence: Int = 930) {
            add("HV", bay, minute, .cameraDeparture(Self.read(plate, confidence, "d\(bay.rawValue)-\(minute)")))
        }

        static func read(_ text: String, _ confidence: Int, _ image: String) -> PlateRead? {
            Plate.reading(text).map { PlateRead(plate: $0, colour: .blue, confidence: confidence, images: [image]) }
        }
    }

    func sessions(_ street: Street, at bay: BayCode) -> [ParkingSession] {
        fold.fold(street.events, bay: bay, neighbours: street.events.filter { $0.deviceID == "HV" }).sessions
    }

    /// The neighbour's car, read on arrival at `next`, standing from minute 10 to 200.
    func neighbour(_ plate: String, into street: inout Street, detector: Bool = true) {
        if detector { street.sensor(next, 10, true) }
        street.arrival(next, 10.2, plate)
        if detector { street.sensor(next, 200, false) }
        street.departure(next, 200.1, plate)
    }

    @Test("Filed under a detector bay with its own car, the neighbour's plate neither splits nor contests the stay", arguments: [
        ("粤J11111", "粤J33333", [30.0, 60, 90]), ("京A12345", "京B67890", [12.0, 13, 150, 190]), ("沪C8A8B8", "沪D55555", [11.0, 40]),
    ])
    func detectorBayKeepsItsCar(own: String, theirs: String, misfiled: [Double]) {
        var street = Street()
        neighbour(theirs, into: &street)
        street.sensor(here, 5, true)
        street.arrival(here, 5.2, own)
        for minute in misfiled { street.read(here, minute, theirs, 990) }
        street.sensor(here, 195, false)
        street.departure(here, 195.1, own)
        let result = sessions(street, at: here)
        #expect(result.map { $0.plate?.plate.text } == [own])
        #expect(result.first.map { $0.flags.contains(.plateContested) } == false)
        #expect(result.first?.evidence.allSatisfy { !$0.hasPrefix("r") } == true, "the neighbour's images stay out of this bill")
        // Without the neighbour's reads, the same events contest the stay: the rule is what keeps it clean.
        let alone = fold.fold(street.events, bay: here).sessions
        #expect(alone.first?.flags.contains(.plateContested) == (misfiled.last! - misfiled.first! >= 5))
    }

    @Test("On a camera-only bay, confident reads of the neighbour's plate never change the car", arguments: [
        ("粤J11111", "粤J33333", [30.0, 32, 34]), ("苏E20230", "苏E98765", [100.0, 102.5]),
    ])
    func cameraOnlyKeepsItsCar(own: String, theirs: String, misfiled: [Double]) {
        var street = Street()
        neighbour(theirs, into: &street, detector: false)
        street.arrival(here, 5, own)
        for minute in stride(from: 35.0, to: 180, by: 30) { street.read(here, minute, own, 900) }
        for minute in misfiled { street.read(here, minute, theirs, 990) }
        street.departure(here, 195, own)
        #expect(sessions(street, at: here).map { $0.plate?.plate.text } == [own])
        #expect(fold.fold(street.events, bay: here).sessions.count > 1, "without the neighbour's reads the bay would split")
    }

    @Test("A free bay gets no stay from the neighbour's plate, and a stay without a plate does not take it", arguments: [30.0, 120])
    func freeAndPlateless(minute: Double) {
        var street = Street()
        neighbour("粤J33333", into: &street)
        street.beat(here, 1, false)
        street.read(here, minute, "粤J33333", 980)
        street.beat(here, minute + 20, false)
        #expect(sessions(street, at: here).isEmpty)

        street.sensor(here, minute + 25, true)
        street.read(here, minute + 26, "粤J33333", 990)
        street.sensor(here, minute + 60, false)
        let result = sessions(street, at: here)
        #expect(result.count == 1)
        #expect(result.first?.plate == nil, "the stay waits for patrol rather than bill the neighbour")
    }

    @Test("The neighbour's car filed here is no report of this bay: a silence it falls in is still an outage", arguments: [true, false])
    func outageStands(detector: Bool) {
        var street = Street()
        neighbour("粤J33333", into: &street, detector: detector)
        if detector { street.sensor(here, 5, true) }
        street.arrival(here, 5.2, "粤J11111")
        // Nothing from this bay for over an hour, but the neighbour's plate filed here twice.
        for minute in [40.0, 100] { street.read(here, minute, "粤J33333", 990) }
        street.read(here, 130, "粤J11111", 950)
        if detector { street.sensor(here, 190, false) }
        street.departure(here, 190.1, "粤J11111")
        let result = sessions(street, at: here)
        #expect(result.map { $0.plate?.plate.text } == ["粤J11111"])
        #expect(result.first.map { $0.flags.contains(.outage) } == true)
    }

    @Test("The neighbour's departure filed here does not end this bay's stay")
    func neighbourDeparture() {
        var street = Street()
        street.sensor(next, 10, true)
        street.arrival(next, 10.2, "粤J33333")
        street.sensor(here, 5, true)
        street.arrival(here, 5.2, "粤J11111")
        street.departure(here, 100, "粤J33333")
        street.sensor(here, 150, false)
        street.departure(here, 150.1, "粤J11111")
        let result = sessions(street, at: here)
        #expect(result.count == 1)
        #expect(result.first?.end == 9_000_000)
    }

    @Test("A look-alike of the neighbour's plate is the neighbour's, unless it is also a look-alike of this bay's own")
    func lookAlikes() {
        var street = Street()
        neighbour("粤J33190", into: &street)
        street.sensor(here, 5, true)
        street.arrival(here, 5.2, "粤J11111")
        street.read(here, 20, "粤J38190", 990)
        street.read(here, 50, "粤J88190", 990)
        street.sensor(here, 150, false)
        let result = sessions(street, at: here)
        #expect(result.first?.plate?.plate.text == "粤J11111")
        #expect(result.first.map { $0.flags.contains(.plateContested) } == false)

        var own = Street()
        neighbour("粤J11117", into: &own)
        own.sensor(here, 5, true)
        own.arrival(here, 5.2, "粤J1111T", 600)
        own.read(here, 15, "粤J11111", 980)
        own.sensor(here, 150, false)
        #expect(sessions(own, at: here).first?.plate?.plate.text == "粤J11111", "the correction of this bay's own misread still stands")
    }

    @Test("This bay's own car filed next door is still this bay's: its departure unseen by the camera, it comes back and is read as itself",
          arguments: [30.0, 400])
    func ownCarFiledNextDoor(returnsAfter: Double) {
        var street = Street()
        street.beat(here, 0, false)
        street.sensor(here, 5, true)
        street.arrival(here, 5.2, "粤J11111")
        street.read(next, 6.5, "粤J11111", 990)
        // The departure reached no one; the heartbeat shows the bay free.
        street.beat(here, 95, true)
        street.beat(here, 125, false)
        let back = 125 + returnsAfter
        street.sensor(here, back, true)
        street.arrival(here, back + 0.3, "粤J11111")
        street.read(here, back + 40, "粤J11111", 960)
        street.sensor(here, back + 90, false)
        let result = sessions(street, at: here)
        #expect(result.map { $0.plate?.plate.text } == ["粤J11111", "粤J11111"])
        #expect(result.last?.start == Int64(back * 60_000))
    }

    @Test("A read with this bay's detector arrival pending is this bay's car, even of a plate read next door", arguments: [0.1, 0.5])
    func detectorArrivalWins(after: Double) {
        var street = Street()
        neighbour("粤J33333", into: &street)
        street.beat(here, 1, false)
        street.sensor(here, 50, true)
        street.arrival(here, 50 + after, "粤J33333")
        street.sensor(here, 120, false)
        #expect(sessions(street, at: here).map { $0.plate?.plate.text } == ["粤J33333"])
    }

    @Test("Once the neighbour's car has left, its plate read here is a car of this bay")
    func neighbourLeft() {
        var street = Street()
        neighbour("粤J33333", into: &street)
        street.sensor(here, 205, true)
        street.arrival(here, 205.2, "粤J33333")
        street.sensor(here, 300, false)
        #expect(sessions(street, at: here).map { $0.plate?.plate.text } == ["粤J33333"])
    }

    @Test("Folding on from any checkpoint gives what folding everything gives, the neighbours' plates included")
    func checkpoints() {
        var street = Street()
        neighbour("粤J33333", into: &street)
        street.sensor(here, 5, true)
        street.arrival(here, 5.2, "粤J11111")
        for minute in [30.0, 60, 90, 120] { street.read(here, minute, "粤J33333", 990) }
        street.sensor(here, 195, false)
        let neighbours = street.events.filter { $0.deviceID == "HV" }
        let full = fold.fold(street.events, bay: here, neighbours: neighbours)
        let times: [Int64] = stride(from: 0, to: 200 * 60_000, by: 7 * 60_000).map { Int64($0) }
        let saved = fold.fold(street.events, bay: here, neighbours: neighbours, checkpointsAt: times).checkpoints
        for checkpoint in saved {
            let resumed = fold.fold(street.events, bay: here, neighbours: neighbours, from: checkpoint)
            #expect(resumed.sessions.last == full.sessions.last)
        }
    }
}
