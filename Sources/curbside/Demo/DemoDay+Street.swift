import CurbsideCore
import CurbsideSimulation
import Foundation

extension DemoDay {
    struct StreetResults: Decodable { var results: [StreetResult] }
    struct StreetResult: Decodable { var id: String; var status: String; var code: String; var replayed: Bool; var sessionId: String? }

    /// The officer's handheld was out of coverage for a while: its queue (cash
    /// for an unpaid bill, a stay started by hand on a bay whose devices missed
    /// the car) goes up in one batch, and once more as if the answer had been
    /// lost. Returns the cash the officer took.
    func streetActions(owing: [Bill], sessions: [Session], bays: [SimulatedBay], patrol: String) async throws -> Int {
        let parked = Set(sessions.filter { $0.status == "open" }.map(\.bay))
        guard owing.count > 8, let free = bays.first(where: { !parked.contains($0.code.rawValue) }) else { return 0 }
        let bill = owing[8]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions.insert(.withFractionalSeconds)
        let at = formatter.string(from: jobs.clock.now)
        let queue: [[String: Any]] = [
            ["id": "pda-0001", "kind": "cash", "at": at, "cash": [["bill": bill.number, "fen": bill.outstandingFen]]],
            ["id": "pda-0002", "kind": "session_start", "at": at, "bay": free.code.rawValue, "plate": "粤J2D601", "plate_colour": "blue"],
        ]
        let first = try await client.post("/v1/patrol/actions", json: ["actions": queue], token: patrol).decode(StreetResults.self).results
        let again = try await client.post("/v1/patrol/actions", json: ["actions": queue], token: patrol).decode(StreetResults.self).results
        output("  The officer's offline queue, sent in one batch (POST /v1/patrol/actions):")
        output("    cash \(Money.display(bill.outstandingFen)) for bill \(bill.number) -> \(first[0].status) (\(first[0].code))")
        output("    a stay started by hand at bay \(free.code.rawValue) for 粤J2D601 -> \(first[1].status) (\(first[1].code)), session \(first[1].sessionId ?? "-")")
        let replayed = again.filter(\.replayed).count
        output("    sent again after a lost answer -> \(replayed) of \(again.count) replayed with the first answers, nothing done twice")
        return first[0].status == "applied" ? bill.outstandingFen : 0
    }
}
