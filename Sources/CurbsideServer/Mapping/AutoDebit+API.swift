import CurbsideAPI
import CurbsideStore
import Foundation

extension Components.Schemas.AutoDebit {
    init(_ debit: AutoDebit) {
        self.init(
            method: .init(rawValue: debit.method.rawValue) ?? .wallet, state: .init(rawValue: debit.state.rawValue) ?? .failed, paymentId: debit.paymentID,
            failure: debit.failure, createdAt: Date(milliseconds: debit.createdAt), finishedAt: debit.finishedAt.map(Date.init(milliseconds:))
        )
    }
}
