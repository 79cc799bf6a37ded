import CurbsideCore
import CurbsideTestThreads
import Testing

/// Every plate type of GA 36-2018 (and the army's and civil aviation's) is
/// read with its kind and priced with its class; what is no plate is kept as
/// read; look-alike characters make misreads, in every group of the table.
@Suite("Plates: kinds, readings and look-alikes", .ownThread)
struct PlateKindsTests {
    @Test("Each kind of plate is read, and priced by the class its kind and colour give", arguments: [
        ("粤J1234应急", Plate.Kind.emergency, PlateColour.blue, VehicleClass.exempt), ("京A5678应急", .emergency, .white, .exempt),
        ("军A12345", .military, .white, .exempt), ("空K12345", .military, .white, .exempt), ("VA12345", .military, .white, .exempt),
        ("KB54321", .military, .white, .exempt), ("民航12345", .civilAviation, .white, .small), ("民航A1234", .civilAviation, .blue, .small),
        ("粤J1234试", .trial, .blue, .small), ("苏E1234超", .trial, .yellow, .large), ("临粤J12345", .temporary, .white, .small),
        ("粤Z1234澳", .hongKongMacao, .black, .small), ("沪A1234领", .embassy, .black, .small), ("WJ12345", .armedPolice, .white, .exempt),
        ("粤A1234警", .police, .white, .exempt), ("粤J12345", .ordinary, .yellow, .large), ("粤JF12345", .newEnergy, .green, .nev),
    ])
    func kinds(text: String, kind: Plate.Kind, colour: PlateColour, vehicle: VehicleClass) throws {
        let plate = try Plate(parsing: text)
        #expect(plate.kind == kind)
        #expect(VehicleClass.of(plate, colour: colour) == vehicle)
        #expect(Plate.reading(text) == plate)
    }

    @Test("A camera's text that is no plate is kept as read; no-plate words and blanks are no read")
    func readings() {
        for text in ["粤J12", "ABC", "粤J1234567", "港ZZ1234", "X粤J12345"] {
            let plate = Plate.reading(text)
            #expect(plate?.kind == .unrecognised, "\(text)")
            #expect(plate?.text == CodeText.compact(text))
        }
        #expect(Plate.reading(String(repeating: "粤", count: 40))?.text.count == Plate.maxUnrecognisedLength)
        for text in ["", "  ", "无牌", "未识别", "none", "NULL", "无车牌", "???", "_无牌_"] {
            #expect(Plate.reading(text) == nil, "\(text)")
        }
        #expect(Plate(stored: "粤J12345").kind == .ordinary)
        #expect(Plate(stored: "粤J12").kind == .unrecognised)
    }

    @Test("Every pair in a look-alike group is a misread one character apart; other characters, two changes or unrecognised reads are not")
    func lookAlikes() throws {
        let serial: [Character] = ["1", "2", "3", "4", "5"]
        for group in Plate.confusionGroups {
            for a in group {
                for b in group where a != b {
                    #expect(Plate.confusable(a, b))
                    #expect(Plate.lookAlikes(of: a).contains(b))
                    let isProvince = !a.isASCII
                    // Each position the character can take: the province, or a serial place.
                    let (x, y): (String, String) = isProvince
                        ? ("\(a)J12345", "\(b)J12345")
                        : ("粤J" + String(serial.prefix(2)) + "\(a)" + String(serial.suffix(2)), "粤J" + String(serial.prefix(2)) + "\(b)" + String(serial.suffix(2)))
                    let first = try Plate(parsing: x), second = try Plate(parsing: y)
                    #expect(first.isProbableMisread(of: second), "\(x) \(y)")
                    #expect(second.isProbableMisread(of: first), "\(y) \(x)")
                }
            }
        }
        let plate = try Plate(parsing: "粤JK3190")
        #expect(try Plate(parsing: "粤JK8190").isProbableMisread(of: plate))
        #expect(try !Plate(parsing: "粤JK4190").isProbableMisread(of: plate))
        #expect(try !Plate(parsing: "粤JK8890").isProbableMisread(of: plate))
        #expect(!Plate.reading("粤JK319")!.isProbableMisread(of: plate))
    }
}
