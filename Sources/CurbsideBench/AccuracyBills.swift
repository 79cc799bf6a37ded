import CurbsideAPI
import Foundation

/// Every bill the server issued, once sessions and the billing round are done.
enum AccuracyBills {
    struct Bill {
        var bay: String
        var plate: String
        /// UTC seconds.
        var start: Int64
        var end: Int64
        var charge: Int64
    }

    /// Waits until the bill count holds still over two billing rounds, then reads them all.
    static func fetch(_ api: Client, since: Date) async throws -> [Bill] {
        var previous = -1
        while true {
            let bills = try await all(api, since: since)
            if bills.count == previous { return bills }
            previous = bills.count
            try await Task.sleep(for: .seconds(21))
        }
    }

    static func all(_ api: Client, since: Date) async throws -> [Bill] {
        var bills: [Bill] = []
        var after: String?
        repeat {
            let query = Operations.ListBills.Input.Query(from: since.addingTimeInterval(-3600), until: Date().addingTimeInterval(3600), after: after, limit: 1000)
            let page = try await api.listBills(query: query).ok.body.json
            for item in page.items where item.status != .void {
                bills.append(Bill(bay: item.bay, plate: item.plate, start: item.start.seconds, end: item.end.seconds,
                                  charge: Int64(item.chargeFen)))
            }
            after = page.nextAfter
        } while after != nil
        return bills
    }
}
