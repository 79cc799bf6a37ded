import CurbsideCore
import CurbsideTestThreads
import Testing

@Suite("Fusion: events into sessions", .ownThread)
struct FusionTests {
    @Test("Each failure mode folds into exactly the sessions its fixture states", arguments: FusionFixture.names)
    func fixture(name: String) throws {
        let fixture = try FusionFixture.load(name)
        let events = try fixture.deviceEvents()
        let bay = events[0].bay
        let sessions = SessionFold().fold(events, bay: bay).sessions.map(FusionFixture.describe)
        #expect(sessions == fixture.sessions, "\(fixture.description)")
    }

    @Test("The fold does not depend on the order events arrive in", arguments: FusionFixture.names)
    func orderIndependent(name: String) throws {
        let events = try FusionFixture.load(name).deviceEvents()
        let fold = SessionFold()
        let reference = fold.fold(events, bay: events[0].bay)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            #expect(fold.fold(events.shuffled(using: &generator), bay: events[0].bay) == reference)
        }
    }

    @Test("Folding on from any checkpoint gives the same sessions as folding everything", arguments: FusionFixture.names)
    func resumable(name: String) throws {
        let events = try FusionFixture.load(name).deviceEvents()
        let bay = events[0].bay
        let fold = SessionFold()
        let full = fold.fold(events, bay: bay)
        let times = events.map { $0.deviceTime + 1 }
        let checkpoints = fold.fold(events, bay: bay, checkpointsAt: times).checkpoints
        #expect(checkpoints.map(\.at) == times)
        for checkpoint in checkpoints {
            let resumed = fold.fold(events, bay: bay, from: checkpoint)
            #expect(resumed.sessions == full.sessions.filter { $0.start >= checkpoint.firstAffectedStart }, "\(name) from \(checkpoint.at) first \(checkpoint.firstAffectedStart) full \(full.sessions.map(\.start))")
            // A checkpoint taken on the way gives the same later checkpoints.
            let later = times.filter { $0 >= checkpoint.at }
            #expect(fold.fold(events, bay: bay, from: checkpoint, checkpointsAt: later).checkpoints == checkpoints.filter { $0.at >= checkpoint.at })
        }
    }

    @Test("Plates are normalised and checked", arguments: [
        ("粤J12345", "粤J12345", Plate.Kind.ordinary), ("粤 j·12345", "粤J12345", .ordinary), ("粤JD12345", "粤JD12345", .newEnergy),
        ("粤J1234O", "粤J12340", .ordinary), ("粤JI2345", "粤J12345", .ordinary), ("粤J12345D", "粤J12345D", .newEnergy),
        ("粤A1234警", "粤A1234警", .police), ("粤Z1234港", "粤Z1234港", .hongKongMacao), ("粤J1234学", "粤J1234学", .coach),
        ("粤J1234挂", "粤J1234挂", .trailer), ("使014578", "使014578", .embassy), ("WJ粤12345", "WJ粤12345", .armedPolice),
        ("粤Ｊ１２３４５", "粤J12345", .ordinary),
    ])
    func plates(input: String, text: String, kind: Plate.Kind) throws {
        let plate = try Plate(parsing: input)
        #expect(plate.text == text)
        #expect(plate.kind == kind)
    }

    @Test("Bad plates are refused with the reason", arguments: [
        ("", PlateError.empty), ("X12345", .unknownProvince("X")), ("粤I12345", .badFormat("粤I12345")),
        ("粤J123", .wrongLength(5)), ("粤J1234567", .wrongLength(9)), ("粤J123456", .badFormat("粤J123456")),
    ])
    func badPlates(input: String, error: PlateError) {
        #expect(throws: error) { try Plate(parsing: input) }
    }

    @Test("Likely misreads are one confusable character apart")
    func misreads() throws {
        let a = try Plate(parsing: "京N12345"), b = try Plate(parsing: "京M12345"), c = try Plate(parsing: "京N12346")
        #expect(a.isProbableMisread(of: b))
        #expect(!a.isProbableMisread(of: c))
        #expect(!a.isProbableMisread(of: a))
    }
}
