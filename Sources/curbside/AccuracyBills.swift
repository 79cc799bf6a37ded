import AsyncHTTPClient
import Foundation
import NIOCore

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
    static func fetch(base: String, token: String, since: Date) async throws -> [Bill] {
        var previous = -1
        while true {
            let bills = try await all(base: base, token: token, since: since)
            if bills.count == previous { return bills }
            previous = bills.count
            try await Task.sleep(for: .seconds(21))
        }
    }

    static func all(base: String, token: String, since: Date) async throws -> [Bill] {
        let from = ISO8601DateFormatter().string(from: since.addingTimeInterval(-3600))
        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let parser = ISO8601DateFormatter()
        var bills: [Bill] = []
        var after: String?
        repeat {
            var url = base + "/v1/admin/bills?limit=1000&from=\(from)&until=\(until)"
            if let after { url += "&after=\(after)" }
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let data = try await response.body.collect(upTo: 1 << 26)
            guard response.status == .ok else { throw BenchFailure(description: "bills: HTTP \(response.status.code) \(String(buffer: data).prefix(300))") }
            struct Page: Decodable {
                var items: [Item]
                var next_after: String?
                struct Item: Decodable { var bay: String; var plate: String; var start: String; var end: String; var charge_fen: Int64; var status: String }
            }
            let page = try JSONDecoder().decode(Page.self, from: Data(data.readableBytesView))
            for item in page.items where item.status != "void" {
                guard let start = parser.date(from: item.start), let end = parser.date(from: item.end) else { continue }
                bills.append(Bill(bay: item.bay, plate: item.plate, start: Int64(start.timeIntervalSince1970), end: Int64(end.timeIntervalSince1970), charge: item.charge_fen))
            }
            after = page.next_after
        } while after != nil
        return bills
    }
}
