import CurbsideAPI
import CurbsideCore
import CurbsideSimulation
import Foundation

extension DemoDay {
    /// The officer's handheld was out of coverage for a while: its queue (cash
    /// for an unpaid bill, a stay started by hand on a bay whose devices missed
    /// the car) goes up in one batch, and once more as if the answer had been
    /// lost. Returns the cash the officer took.
    func streetActions(owing: [Bill], sessions: [Session], bays: [SimulatedBay], patrol: Client) async throws -> Int {
        let parked = Set(sessions.filter { $0.status == .open }.map(\.bay))
        guard owing.count > 8, let free = bays.first(where: { !parked.contains($0.code.rawValue) }) else { return 0 }
        let bill = owing[8]
        let at = jobs.clock.now
        let queue: [Components.Schemas.StreetAction] = [
            .init(id: "pda-0001", kind: .cash, at: at, cash: [.init(bill: bill.number, fen: bill.outstandingFen)]),
            .init(id: "pda-0002", kind: .sessionStart, at: at, bay: free.code.rawValue, plate: "粤J2D601", plateColour: .blue),
        ]
        let first = try await patrol.uploadStreetActions(body: .json(.init(actions: queue))).ok.body.json.results
        let again = try await patrol.uploadStreetActions(body: .json(.init(actions: queue))).ok.body.json.results
        output("  The officer's offline queue, sent in one batch (POST /v1/patrol/actions):")
        output("    cash \(Money.display(bill.outstandingFen)) for bill \(bill.number) -> \(first[0].status.rawValue) (\(first[0].code))")
        output("    a stay started by hand at bay \(free.code.rawValue) for 粤J2D601 -> \(first[1].status.rawValue) (\(first[1].code)), session \(first[1].sessionId ?? "-")")
        let replayed = again.filter(\.replayed).count
        output("    sent again after a lost answer -> \(replayed) of \(again.count) replayed with the first answers, nothing done twice")
        return first[0].status == .applied ? bill.outstandingFen : 0
    }
}
