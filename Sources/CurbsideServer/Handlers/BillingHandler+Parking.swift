import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore

/// WeChat Pay's parking service notifications: a deduction charged settles its
/// bill's payment once; one that failed sends the bill's ordinary notice with
/// the reason; an entry's new state is kept, so a blocked stay is not charged.
extension BillingHandler {
    func wechatParkingNotify(_ input: Operations.WechatParkingNotify.Input) async throws -> Operations.WechatParkingNotify.Output {
        guard case let .any(body) = input.body else { throw APIError.unsupportedBody }
        let h = input.headers
        switch try await readWeChat(body, timestamp: h.wechatpayTimestamp, nonce: h.wechatpayNonce, signature: h.wechatpaySignature, with: { (verifier, signed) throws(NotificationError) in
            try verifier.verifyParking(timestamp: signed.timestamp, nonce: signed.nonce, signature: signed.signature, body: signed.body, now: signed.now)
        }) {
        case .notConfigured(let failure): return .notFound(.init(body: .json(failure)))
        case .unauthorized(let failure): return .unauthorized(.init(body: .json(failure)))
        case .unreadable(let failure): return .badRequest(.init(body: .json(failure)))
        case let .read(.trade(notification, failure)):
            let database = try database
            let autoPay = AutoPay(store: store, database: database)
            guard let debit = try await autoPay.debit(payment: notification.paymentID) else {
                return .badRequest(.init(body: .json(Self.failure("No deduction was asked for as \(notification.paymentID)."))))
            }
            let run = CurbsideApp.autoPayRun(database, configuration, store: store, orders: orders)
            if notification.succeeded {
                guard try await run.settled(notification, autoPay: autoPay, now: now, source: "") else {
                    return .badRequest(.init(body: .json(Self.failure("Payment \(notification.paymentID) does not match the deduction."))))
                }
            } else {
                try await autoPay.finish(
                    debit.bill, as: .failed, failure: "微信支付扣款失败（\(failure ?? "PAY_FAIL")）", link: configuration.billing.payLink,
                    clock: configuration.city.timeZone, now: now
                )
            }
            return .noContent(.init())
        case let .read(.entry(outParkingNo, parkingID, state, reason)):
            let entries = ParkingEntries(store: store, database: try database)
            guard try await entries.entry(session: outParkingNo) != nil else {
                return .badRequest(.init(body: .json(Self.failure("No stay was entered as \(outParkingNo)."))))
            }
            try await entries.update(session: outParkingNo, parkingID: parkingID, state: state == "NORMAL" ? .normal : .blocked, blockReason: reason, now: now)
            return .noContent(.init())
        }
    }
}
