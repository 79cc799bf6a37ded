import CurbsideCore
import CurbsideTestThreads
import Testing

/// What the city platform is told when a stay appears, ends, changes or goes.
@Suite("City feed records", .ownThread)
struct FeedRecordTests {
    static let open = FeedStay(session: "10010027-1", bay: "10010027", zone: "SP1", start: 1, end: nil, plate: "粤J12345", plateColour: "blue", images: ["a"])

    @Test("A new stay is an entry, and an exit too when it is already over")
    func entries() {
        #expect(FeedRecord.changes(from: nil, to: Self.open, at: 5).map(\.kind) == [.entry])
        var closed = Self.open
        closed.end = 9
        #expect(FeedRecord.changes(from: nil, to: closed, at: 5).map(\.kind) == [.entry, .exit])
        #expect(FeedRecord.changes(from: Self.open, to: closed, at: 5).map(\.kind) == [.exit])
    }

    @Test("A changed stay is a correction; one that ends with a new plate is an exit and a correction; a vanished one is void")
    func corrections() {
        var replated = Self.open
        replated.plate = "粤J12346"
        #expect(FeedRecord.changes(from: Self.open, to: replated, at: 5).map(\.kind) == [.correction])
        replated.end = 9
        #expect(FeedRecord.changes(from: Self.open, to: replated, at: 5).map(\.kind) == [.exit, .correction])
        #expect(FeedRecord.changes(from: Self.open, to: nil, at: 5).map(\.kind) == [.void])
        #expect(FeedRecord.changes(from: Self.open, to: Self.open, at: 5).isEmpty)
        #expect(FeedRecord.changes(from: Self.open, to: nil, at: 5).first?.stay == Self.open)
    }

    @Test("Occupancy counts go out for segments that changed, never sent, or last sent ten minutes ago, never over later counts")
    func occupancy() {
        func counts(_ segment: String, occupied: Int) -> FeedOccupancy {
            FeedOccupancy(segment: segment, zone: "SP1", bays: 10, occupied: occupied, free: 10 - occupied, unknown: 0, evBays: 0, evFree: 0)
        }
        let last = ["1002": (counts("1002", occupied: 3), Int64(1_000)), "1001": (counts("1001", occupied: 4), Int64(500_000))]
        let now = [counts("1002", occupied: 3), counts("1001", occupied: 5), counts("1003", occupied: 0)]
        #expect(FeedOccupancy.due(now, last: last, now: 600_999, refresh: 600_000).map(\.segment) == ["1001", "1003"])
        #expect(FeedOccupancy.due(now, last: last, now: 601_000, refresh: 600_000).map(\.segment) == ["1001", "1002", "1003"])
        #expect(FeedOccupancy.due([counts("1002", occupied: 3)], last: last, now: 2_000, refresh: 600_000).isEmpty)
        // Counts taken before another server's later ones are not sent over them.
        #expect(FeedOccupancy.due([counts("1001", occupied: 9)], last: last, now: 499_999, refresh: 600_000).isEmpty)
    }
}
