import CurbsideCore
import Foundation

/// Alipay's parking payment (支付宝车主平台 停车缴费 and its 代扣 deduction)
/// as a parking operator meets it: the lot is registered with Alipay
/// (`parking_id`); each stay is synced in (`enterinfo.sync`) and out
/// (`exitinfo.sync`); a plate whose owner signed Alipay's deduction agreement
/// is charged by `order.pay` when its bill is issued, and the paid order is
/// synced to the owner's Alipay parking records (`order.sync`).
public enum AlipayParking {
    /// Alipay's agreement codes: a plate is charged only under a signed one.
    public static let agreementSigned = "1"

    /// A stay synced in: Alipay's serial number for it, and whether the plate's owner signed the deduction agreement.
    public struct Entry: Sendable, Equatable {
        public var serialNo: String?
        public var agreementSigned: Bool

        public init(serialNo: String?, agreementSigned: Bool) {
            self.serialNo = serialNo
            self.agreementSigned = agreementSigned
        }
    }

    /// What is charged to the plate owner's Alipay account when the car has left.
    public struct Deduction: Sendable, Equatable {
        /// Our payment's id.
        public var outTradeNo: String
        public var subject: String
        public var amountFen: Int
        public var parkingID: String
        /// Our id of the place: the bay.
        public var outParkingID: String
        public var plate: String
        public var start: Date
        public var end: Date
        /// Alipay's serial number of the stay, from its entry.
        public var serialNo: String?

        public init(
            outTradeNo: String, subject: String, amountFen: Int, parkingID: String, outParkingID: String, plate: String, start: Date, end: Date,
            serialNo: String?
        ) {
            self.outTradeNo = outTradeNo
            self.subject = subject
            self.amountFen = amountFen
            self.parkingID = parkingID
            self.outParkingID = outParkingID
            self.plate = plate
            self.start = start
            self.end = end
            self.serialNo = serialNo
        }

        /// Whole minutes parked, as Alipay shows the stay.
        public var minutes: Int { max(Int(end.timeIntervalSince(start) / 60), 0) }
    }

    /// A deduction Alipay charged.
    public struct Payment: Sendable, Equatable {
        public var outTradeNo: String
        public var tradeNo: String
        public var amountFen: Int
        /// Alipay's user who paid, for the order's sync.
        public var userID: String?
        public var paidAt: String?

        public init(outTradeNo: String, tradeNo: String, amountFen: Int, userID: String?, paidAt: String?) {
            self.outTradeNo = outTradeNo
            self.tradeNo = tradeNo
            self.amountFen = amountFen
            self.userID = userID
            self.paidAt = paidAt
        }
    }
}
