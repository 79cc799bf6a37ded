import CurbsideAPI
import Foundation

/// The bills still to pay, handed out one at a time to the payers.
final class Payers: @unchecked Sendable {
    struct Timing {
        var channel: Components.Schemas.PaymentChannel
        var linkToSettled: Duration
        var orderToSettled: Duration
    }

    private let lock = NSLock()
    private let bills: [(number: String, token: String)]
    private var taken = 0

    init(_ bills: [(number: String, token: String)]) {
        self.bills = bills
    }

    func next() -> (Int, (number: String, token: String))? {
        lock.withLock {
            guard taken < bills.count else { return nil }
            defer { taken += 1 }
            return (taken, bills[taken])
        }
    }
}
