import CurbsideCore
import CurbsidePayments
import CurbsideStore
import FluentKit
import Foundation
import Logging

/// Non-stop payment at work: enters each parked car of a plate set to pay
/// through WeChat Pay's parking service or Alipay's parking deduction, and
/// asks for each due deduction (from the wallet at once; through WeChat Pay,
/// taken and then charged; through Alipay, synced out and charged at once),
/// following it up until it is paid or fails. A deduction that fails sends
/// the ordinary notice at once, with the reason, and the bill goes on along
/// the arrears ladder like any other.
public struct AutoPayRun: Sendable {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var entered = 0
        public var asked = 0
        public var succeeded = 0
        public var failed = 0

        public init() {}
    }

    let orders: ChannelOrders
    let store: Store
    let database: any Database
    let clock: ZoneClock
    let link: @Sendable (String) -> String
    let logger = Logger(label: "curbside.autopay")

    /// The stay's first half hour is free: WeChat Pay shows it to the user.
    static let freeSeconds = 1800
    /// A deduction WeChat Pay has taken and not charged is asked about for this long, then given up as failed.
    static let patience: Int64 = Milliseconds.day

    var notifyURL: String { orders.publicURL + "/v1/channels/wechat/parking-notify" }

    public func runOnce(now: Int64, limit: Int = 50) async throws -> Round {
        var round = Round()
        let entries = ParkingEntries(store: store, database: database)
        let entering: [AutoPayMethod] = (orders.wechat == nil ? [] : [.wechat]) + (orders.alipayParking == nil ? [] : [.alipay])
        try await entries.scheduleParked(methods: entering, now: now)
        for entry in try await entries.claimDue(now: now, limit: limit) where try await enter(entry, entries: entries, now: now) {
            round.entered += 1
        }
        let autoPay = AutoPay(store: store, database: database)
        for debit in try await autoPay.claimDue(now: now, limit: limit) {
            round.asked += 1
            switch try await ask(debit, autoPay: autoPay, entries: entries, now: now) {
            case .succeeded: round.succeeded += 1
            case .failed: round.failed += 1
            default: break
            }
        }
        return round
    }

    /// Enters one stay with its channel; true once entered.
    func enter(_ entry: ParkingEntries.Entry, entries: ParkingEntries, now: Int64) async throws -> Bool {
        if entry.channel == AutoPayMethod.alipay.rawValue {
            guard let (alipay, parkingID) = orders.alipayParking else {
                try await entries.update(session: entry.session, parkingID: nil, state: .failed, blockReason: "Alipay's parking deduction is not configured", now: now)
                return false
            }
            return try await enter(entry, alipay: alipay, parkingID: parkingID, entries: entries, now: now)
        }
        guard let wechat = orders.wechat else {
            try await entries.update(session: entry.session, parkingID: nil, state: .failed, blockReason: "WeChat Pay is not configured", now: now)
            return false
        }
        guard let colour = PlateColour(rawValue: entry.colour).flatMap(WeChatParking.colour) else {
            try await entries.update(session: entry.session, parkingID: nil, state: .failed, blockReason: "plate colour unknown", now: now)
            return false
        }
        let entered: WeChatParking.Entry
        do {
            entered = try await wechat.enterParking(
                outParkingNo: entry.session, plate: entry.plate, colour: colour, start: Date(milliseconds: entry.start), parkingName: entry.place,
                freeSeconds: Self.freeSeconds, notifyURL: notifyURL
            )
        } catch {
            return try await notEntered(entry, retryable: error.isRetryable, code: error.code, error: error, entries: entries, now: now)
        }
        try await entries.update(
            session: entry.session, parkingID: entered.parkingID, state: entered.isBlocked ? .blocked : .normal, blockReason: entered.blockReason, now: now
        )
        return true
    }

    /// Asks for (or about) one deduction; answers its state afterwards.
    func ask(_ debit: AutoDebit, autoPay: AutoPay, entries: ParkingEntries, now: Int64) async throws -> AutoDebit.State {
        guard let charge = try await autoPay.charge(bill: debit.bill), charge.outstandingFen > 0 || debit.paymentID != nil else {
            try await autoPay.finish(debit.bill, as: .cancelled, link: link, clock: clock, now: now)
            return .cancelled
        }
        let payments = Payments(store: store, database: database)
        switch debit.method {
        case .wallet:
            do {
                _ = try await payments.payBills([debit.bill], channel: .wallet, citizen: debit.citizen, collectedBy: nil, scene: AutoPay.scene, now: now)
            } catch let BillingError.walletShort(balance, needed) {
                return try await fail(debit, "钱包余额不足（\(Money.yuan(balance)) 元，应付 \(Money.yuan(needed)) 元）", autoPay: autoPay, now: now)
            } catch BillingError.nothingOwed {
                try await autoPay.finish(debit.bill, as: .cancelled, link: link, clock: clock, now: now)
                return .cancelled
            }
            try await autoPay.finish(debit.bill, as: .succeeded, link: link, clock: clock, now: now)
            return .succeeded
        case .wechat:
            guard let wechat = orders.wechat else { return try await fail(debit, "微信支付未开通", autoPay: autoPay, now: now) }
            if let payment = debit.paymentID, debit.state == .requested {
                return try await follow(debit, payment: payment, wechat: wechat, autoPay: autoPay, now: now)
            }
            return try await deduct(debit, charge: charge, wechat: wechat, autoPay: autoPay, entries: entries, now: now)
        case .alipay:
            guard let (alipay, parkingID) = orders.alipayParking else { return try await fail(debit, "支付宝停车代扣未开通", autoPay: autoPay, now: now) }
            return try await deduct(debit, charge: charge, alipay: alipay, parkingID: parkingID, autoPay: autoPay, entries: entries, now: now)
        }
    }

    /// Asks WeChat Pay for the stay's fee, entering the stay first if the job has not.
    func deduct(
        _ debit: AutoDebit, charge: AutoPay.Charge, wechat: WeChatPayClient, autoPay: AutoPay, entries: ParkingEntries, now: Int64
    ) async throws -> AutoDebit.State {
        let entry = try await entered(charge, method: .wechat, entries: entries, now: now)
        guard let entry, let parkingID = entry.parkingID, entry.state == .normal, let colour = WeChatParking.colour(charge.colour) else {
            if entry?.state == .pending {
                try await autoPay.retry(debit.bill, next: now + Self.backOff(debit.attempts), reason: "the stay is not entered yet")
                return .pending
            }
            return try await fail(debit, "微信支付分停车服务不可用（\(entry?.blockReason ?? entry?.state.rawValue ?? "未入场")）", autoPay: autoPay, now: now)
        }
        let payments = Payments(store: store, database: database)
        let paymentID: String
        if let existing = debit.paymentID {
            paymentID = existing
        } else {
            guard let made = try await newPayment(debit, channel: .wechat, autoPay: autoPay, now: now) else { return .cancelled }
            paymentID = made
        }
        let amount = try await payments.payment(paymentID)?.amountFen ?? charge.outstandingFen
        let trade: WeChatParking.Trade
        do {
            trade = try await wechat.deduct(WeChatParking.Deduction(
                outTradeNo: paymentID, description: "路侧停车费 \(charge.bill)", amountFen: amount, notifyURL: notifyURL, parkingID: parkingID,
                plate: charge.plate, colour: colour, start: Date(milliseconds: charge.start), end: Date(milliseconds: charge.end), parkingName: entry.place,
                chargingSeconds: Int((charge.end - charge.start) / 1000), deviceID: charge.bay
            ))
        } catch {
            guard error.isRetryable && debit.attempts < 8 else { return try await fail(debit, "微信支付拒绝扣款（\(error.code)）", autoPay: autoPay, now: now) }
            try await autoPay.retry(debit.bill, next: now + Self.backOff(debit.attempts), reason: error.description)
            return .pending
        }
        return try await apply(trade, debit: debit, autoPay: autoPay, now: now)
    }

    /// An entry the channel did not make: tried again later while the channel may yet answer, else failed for good with its code.
    func notEntered(_ entry: ParkingEntries.Entry, retryable: Bool, code: String, error: any Error, entries: ParkingEntries, now: Int64) async throws -> Bool {
        if retryable && entry.attempts < 8 {
            try await entries.retry(session: entry.session, next: now + Self.backOff(entry.attempts), now: now)
        } else {
            logger.warning("parking entry refused", metadata: ["session": "\(entry.session)", "channel": "\(entry.channel)", "error": "\(error)"])
            try await entries.update(session: entry.session, parkingID: nil, state: .failed, blockReason: code, now: now)
        }
        return false
    }

    /// The deduction's payment, made for the bill and attached to it; nil (and the deduction cancelled) when the bill owes nothing.
    func newPayment(_ debit: AutoDebit, channel: PaymentChannel, autoPay: AutoPay, now: Int64) async throws -> String? {
        let id: String
        do {
            id = try await Payments(store: store, database: database)
                .payBills([debit.bill], channel: channel, citizen: debit.citizen, collectedBy: nil, scene: AutoPay.scene, now: now).id
        } catch BillingError.nothingOwed {
            try await autoPay.finish(debit.bill, as: .cancelled, link: link, clock: clock, now: now)
            return nil
        }
        try await autoPay.attach(payment: id, to: debit.bill)
        return id
    }

    /// The stay's entry with `method`'s channel, entered now if the job has not entered it while the car was parked.
    func entered(_ charge: AutoPay.Charge, method: AutoPayMethod, entries: ParkingEntries, now: Int64) async throws -> ParkingEntries.Entry? {
        if let entry = try await entries.entry(session: charge.session), entry.state != .pending { return entry }
        try await entries.schedule(session: charge.session, method: method, now: now)
        if let pending = try await entries.entry(session: charge.session), pending.state == .pending {
            _ = try await enter(pending, entries: entries, now: now)
        }
        return try await entries.entry(session: charge.session)
    }

    /// Asks WeChat Pay how a deduction it took went: it may not have notified, or the notification was lost.
    func follow(_ debit: AutoDebit, payment: String, wechat: WeChatPayClient, autoPay: AutoPay, now: Int64) async throws -> AutoDebit.State {
        let trade: WeChatParking.Trade
        do {
            trade = try await wechat.parkingTrade(outTradeNo: payment)
        } catch {
            // Refused or not answered, the deduction stays WeChat Pay's to finish: asked again later, until the patience runs out.
            guard now - debit.createdAt < Self.patience else { return try await giveUp(debit, autoPay: autoPay, now: now) }
            try await autoPay.retry(debit.bill, next: now + Self.backOff(debit.attempts), reason: error.description)
            return .requested
        }
        return try await apply(trade, debit: debit, autoPay: autoPay, now: now)
    }

    /// What a deduction's trade state means: paid (settled as its notification would be), failed, or wait.
    func apply(_ trade: WeChatParking.Trade, debit: AutoDebit, autoPay: AutoPay, now: Int64) async throws -> AutoDebit.State {
        switch trade.state {
        case .success, .refunded:
            guard let transaction = trade.transactionID, let amount = trade.amountFen else {
                try await autoPay.requested(debit.bill, next: now + Self.backOff(debit.attempts))
                return .requested
            }
            let notification = ChannelNotification(
                channel: .wechat, paymentID: trade.outTradeNo, transactionID: transaction, amountFen: amount, currency: "CNY", succeeded: true
            )
            return try await settled(notification, autoPay: autoPay, now: now, source: "query") ? .succeeded : .requested
        case .failed:
            return try await fail(debit, "微信支付扣款失败（\(trade.description ?? "PAY_FAIL")）", autoPay: autoPay, now: now)
        case .accepted:
            guard now - debit.createdAt < Self.patience else { return try await giveUp(debit, autoPay: autoPay, now: now) }
            try await autoPay.requested(debit.bill, next: now + Self.backOff(debit.attempts))
            return .requested
        }
    }

    func giveUp(_ debit: AutoDebit, autoPay: AutoPay, now: Int64) async throws -> AutoDebit.State {
        try await fail(debit, "微信支付一天内未完成扣款", autoPay: autoPay, now: now)
    }

    /// Not paid this way: the bill's ordinary notice goes at once, with `reason`.
    func fail(_ debit: AutoDebit, _ reason: String, autoPay: AutoPay, now: Int64) async throws -> AutoDebit.State {
        try await autoPay.finish(debit.bill, as: .failed, failure: reason, link: link, clock: clock, now: now)
        return .failed
    }

    /// Settles a deduction's payment and finishes the deduction; false if the payment would not settle.
    func settled(_ notification: ChannelNotification, autoPay: AutoPay, now: Int64, source: String) async throws -> Bool {
        switch try await Payments(store: store, database: database).settle(notification, now: now, source: source) {
        case .settled, .duplicate:
            guard let debit = try await autoPay.debit(payment: notification.paymentID) else { return true }
            try await autoPay.finish(debit.bill, as: .succeeded, link: link, clock: clock, now: now)
            return true
        case let .refused(code, message):
            logger.warning("deduction not settled", metadata: ["payment": "\(notification.paymentID)", "code": "\(code)", "message": "\(message)"])
            return false
        case .notPaid:
            return false
        }
    }

    /// 1, 2, 4 ... minutes, at most an hour.
    static func backOff(_ attempts: Int) -> Int64 {
        min(Milliseconds.minute << Int64(min(max(attempts - 1, 0), 6)), Milliseconds.hour)
    }
}

extension WeChatPayError {
    /// Not an answer about the request itself: no answer, a 5xx, a rate limit.
    var isRetryable: Bool {
        switch self {
        case .unreachable, .malformedAnswer, .unverifiedAnswer: true
        case let .refused(status, code, _): status >= 500 || code == "SYSTEM_ERROR" || code == "FREQUENCY_LIMITED" || code == "RATELIMIT_EXCEEDED"
        }
    }
}
