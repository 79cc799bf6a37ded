import CurbsideCore
@testable import CurbsideStore
import CurbsideTestThreads
import Testing

@Suite("Checkpoint tiers", .ownThread)
struct CheckpointTiersTests {
    let small = CheckpointTiers([.init(spacing: 5, window: 20), .init(spacing: 15, window: 60), .init(spacing: 60, window: 300)])

    @Test("The points a fold takes are exactly the grid points it passes that the tiers keep")
    func pointsAreTheKeptGridPoints() {
        var wrong: [(Int64, Int64, Int64)] = []
        for newest in stride(from: Int64(600), through: 660, by: 4) {
            for after in stride(from: newest - 400, through: newest, by: 7) {
                for through in [newest - 9, newest - 4, newest] {
                    let brute = stride(from: after + 1, through: through, by: 1).filter { $0 % 5 == 0 && small.keeps($0, tail: newest) }
                    if small.points(after: after, through: through, newest: newest) != brute { wrong.append((after, through, newest)) }
                }
            }
        }
        #expect(wrong.isEmpty, "after, through, newest: \(wrong.prefix(3))")
    }

    @Test("A bay folded from the start of 60 days keeps about 20 checkpoints, and one before any event ingestion accepts")
    func standardBound() {
        let tiers = CheckpointTiers.standard
        let newest: Int64 = 1_780_000_000_000
        let points = tiers.points(after: newest - 60 * Milliseconds.day, through: newest - 15 * Milliseconds.minute, newest: newest)
        #expect((17...21).contains(points.count), "\(points.count)")
        #expect(points.allSatisfy { tiers.keeps($0, tail: newest - 2 * Milliseconds.minute) })
        // The oldest event accepted is 30 days before now; a kept point lies at or before it.
        #expect(points.contains { $0 <= newest - 30 * Milliseconds.day })
    }
}
