import CurbsideCore
import Foundation

/// WeChat Pay's parking service (微信支付分停车服务, API v3) as a merchant
/// meets it: a plate the user has opened the service for is entered when it
/// parks, and charged when it leaves, without the user doing anything.
public enum WeChatParking {
    /// A plate colour as the parking service writes it.
    public static func colour(_ colour: PlateColour) -> String? {
        switch colour {
        case .blue: "BLUE"
        case .green: "GREEN"
        case .yellow: "YELLOW"
        case .black: "BLACK"
        case .white: "WHITE"
        case .yellowGreen: "LIMEGREEN"
        case .unknown: nil
        }
    }

    /// Whether the user has the service open for a plate (查询车牌服务开通信息).
    public enum ServiceState: String, Sendable {
        case normal = "NORMAL"
        /// Opened, and paused by the user.
        case paused = "PAUSE"
        case notOpen = "OUT_SERVICE"
    }

    /// A parking entry (停车入场) as WeChat Pay answers it.
    public struct Entry: Sendable, Equatable {
        /// WeChat Pay's id for it, which the deduction names.
        public var parkingID: String
        public var outParkingNo: String
        /// NORMAL: the stay can be charged; BLOCKED: it cannot, for `blockReason` (PAUSE, OVERDUE, REMOVE).
        public var state: String
        public var blockReason: String?

        public init(parkingID: String, outParkingNo: String, state: String, blockReason: String?) {
            self.parkingID = parkingID
            self.outParkingNo = outParkingNo
            self.state = state
            self.blockReason = blockReason
        }

        public var isBlocked: Bool { state != "NORMAL" }
    }

    /// What is asked of the user's account when the car has left (停车扣费受理).
    public struct Deduction: Sendable, Equatable {
        /// Our payment's id.
        public var outTradeNo: String
        public var description: String
        public var amountFen: Int
        public var notifyURL: String
        public var parkingID: String
        public var plate: String
        public var colour: String
        public var start: Date
        public var end: Date
        public var parkingName: String
        /// The charged time, seconds.
        public var chargingSeconds: Int
        /// The bay, as the parking's device.
        public var deviceID: String

        public init(
            outTradeNo: String, description: String, amountFen: Int, notifyURL: String, parkingID: String, plate: String, colour: String,
            start: Date, end: Date, parkingName: String, chargingSeconds: Int, deviceID: String
        ) {
            self.outTradeNo = outTradeNo
            self.description = description
            self.amountFen = amountFen
            self.notifyURL = notifyURL
            self.parkingID = parkingID
            self.plate = plate
            self.colour = colour
            self.start = start
            self.end = end
            self.parkingName = parkingName
            self.chargingSeconds = chargingSeconds
            self.deviceID = deviceID
        }
    }

    /// A deduction as WeChat Pay has it: ACCEPTED (taken, not yet charged), SUCCESS, PAY_FAIL; REFUND once refunded.
    public struct Trade: Sendable, Equatable {
        public enum State: String, Sendable {
            case accepted = "ACCEPTED"
            case success = "SUCCESS"
            case failed = "PAY_FAIL"
            case refunded = "REFUND"
        }

        public var outTradeNo: String
        public var state: State
        public var description: String?
        public var transactionID: String?
        public var amountFen: Int?
        public var successTime: String?

        public init(outTradeNo: String, state: State, description: String?, transactionID: String?, amountFen: Int?, successTime: String?) {
            self.outTradeNo = outTradeNo
            self.state = state
            self.description = description
            self.transactionID = transactionID
            self.amountFen = amountFen
            self.successTime = successTime
        }
    }
}
