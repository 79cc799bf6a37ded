import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Foundation

/// Alipay's parking deduction (支付宝停车代扣) in the non-stop job: each stay
/// synced in while the car is parked (Alipay says then whether the plate's
/// owner signed the deduction agreement), and at the bill synced out and
/// charged at once; the paid order synced to the owner's Alipay parking
/// records. An unanswered charge is asked about (alipay.trade.query) before
/// it is asked for again, under the same out_trade_no.
extension AutoPayRun {
    /// Syncs one stay in; true once entered (normal under a signed agreement, blocked without one).
    func enter(_ entry: ParkingEntries.Entry, alipay: AlipayClient, parkingID: String, entries: ParkingEntries, now: Int64) async throws -> Bool {
        let entered: AlipayParking.Entry
        do {
            entered = try await alipay.parkingEntered(
                parkingID: parkingID, plate: entry.plate, at: Date(milliseconds: entry.start), outSerialNo: entry.session, freeMinutes: Self.freeSeconds / 60
            )
        } catch {
            return try await notEntered(entry, retryable: error.isRetryable, code: error.subCode, error: error, entries: entries, now: now)
        }
        try await entries.update(
            session: entry.session, parkingID: entered.serialNo, state: entered.agreementSigned ? .normal : .blocked,
            blockReason: entered.agreementSigned ? nil : "AGREEMENT_NOT_SIGNED", now: now
        )
        return true
    }

    /// Syncs the stay out and charges it to the owner's Alipay account, entering it first if the job has not.
    func deduct(
        _ debit: AutoDebit, charge: AutoPay.Charge, alipay: AlipayClient, parkingID: String, autoPay: AutoPay, entries: ParkingEntries, now: Int64
    ) async throws -> AutoDebit.State {
        let entry = try await entered(charge, method: .alipay, entries: entries, now: now)
        guard let entry, entry.state == .normal else {
            if entry?.state == .pending {
                try await autoPay.retry(debit.bill, next: now + Self.backOff(debit.attempts), reason: "the stay is not synced in yet")
                return .pending
            }
            return try await fail(debit, "支付宝停车代扣不可用（\(entry?.blockReason ?? entry?.state.rawValue ?? "未入场")）", autoPay: autoPay, now: now)
        }
        let payments = Payments(store: store, database: database)
        let paymentID: String
        if let existing = debit.paymentID {
            // An earlier charge went unanswered: Alipay may have made it.
            let trade: AlipayTrade?
            do {
                trade = try await alipay.query(outTradeNo: existing)
            } catch {
                guard error.subCode == "ACQ.TRADE_NOT_EXIST" else { return try await retryAlipay(debit, error, autoPay: autoPay, now: now) }
                trade = nil
            }
            if let trade, trade.status == .success || trade.status == .finished, let tradeNo = trade.tradeNo, let fen = trade.amountFen {
                return try await settledAlipay(existing, tradeNo: tradeNo, fen: fen, autoPay: autoPay, now: now) ? .succeeded : .pending
            }
            paymentID = existing
        } else {
            guard let made = try await newPayment(debit, channel: .alipay, autoPay: autoPay, now: now) else { return .cancelled }
            paymentID = made
        }
        let deduction = AlipayParking.Deduction(
            outTradeNo: paymentID, subject: "路侧停车费 \(charge.bill)", amountFen: try await payments.payment(paymentID)?.amountFen ?? charge.outstandingFen,
            parkingID: parkingID, outParkingID: charge.bay, plate: charge.plate, start: Date(milliseconds: charge.start), end: Date(milliseconds: charge.end),
            serialNo: entry.parkingID
        )
        let paid: AlipayParking.Payment
        do {
            try await alipay.parkingExited(deduction, outSerialNo: charge.session)
            paid = try await alipay.payParking(deduction)
        } catch {
            guard error.isRetryable && debit.attempts < 8 else {
                return try await fail(debit, "支付宝代扣失败（\(error.subCode.isEmpty ? error.description : error.subCode)）", autoPay: autoPay, now: now)
            }
            return try await retryAlipay(debit, error, autoPay: autoPay, now: now)
        }
        guard try await settledAlipay(paymentID, tradeNo: paid.tradeNo, fen: paid.amountFen, autoPay: autoPay, now: now) else { return .pending }
        do {
            try await alipay.syncParkingOrder(paid, deduction: deduction, parkingName: charge.place)
        } catch {
            // The owner's Alipay parking records miss this order; the money is settled and the statement shows it.
            logger.warning("Alipay parking order not synced", metadata: ["payment": "\(paymentID)", "error": "\(error)"])
        }
        return .succeeded
    }

    func retryAlipay(_ debit: AutoDebit, _ error: AlipayError, autoPay: AutoPay, now: Int64) async throws -> AutoDebit.State {
        try await autoPay.retry(debit.bill, next: now + Self.backOff(debit.attempts), reason: error.description)
        return .pending
    }

    /// Settles a charge Alipay made, as its notification would be.
    func settledAlipay(_ paymentID: String, tradeNo: String, fen: Int, autoPay: AutoPay, now: Int64) async throws -> Bool {
        let notification = ChannelNotification(channel: .alipay, paymentID: paymentID, transactionID: tradeNo, amountFen: fen, currency: "CNY", succeeded: true)
        return try await settled(notification, autoPay: autoPay, now: now, source: "alipay_parking")
    }
}

extension AlipayError {
    /// Not an answer about the request itself: no answer, Alipay busy (20000), a system error.
    var isRetryable: Bool {
        switch self {
        case .unreachable, .malformedAnswer, .unverifiedAnswer: true
        case let .refused(code, subCode, _): code == "20000" || subCode.hasPrefix("isp.") || subCode == "ACQ.SYSTEM_ERROR"
        }
    }
}
