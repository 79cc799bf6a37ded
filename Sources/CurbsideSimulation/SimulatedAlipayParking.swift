import Foundation

/// What Alipay's parking platform knows, in the simulator: plates whose
/// owners signed the deduction agreement for the lot, the cars Alipay's
/// car-owner pages know by car_id, stays synced in and out, paid orders
/// synced, and accounts that cannot pay.
public final class SimulatedAlipayParking: @unchecked Sendable {
    public struct Stay: Sendable, Equatable {
        public var serialNo: String
        public var plate: String
        public var inTime: String
        public var outTime: String?
    }

    /// Deductions for these plates are refused: the owner's account cannot pay.
    @Locked public var failingPlates: Set<String> = []
    /// The next deduction is charged but answered as if Alipay were busy (20000), so the payer learns of it by asking.
    @Locked public var losesPaymentAnswerOnce = false

    private let lock = NSLock()
    private var agreements: Set<String> = []
    private var vehicles: [String: String] = [:]
    private var stays: [String: Stay] = [:]
    private var orders: [String: String] = [:]
    private var sequence = 0

    public init() {}

    /// The owner signs Alipay's parking deduction agreement for the plate.
    public func sign(plate: String) { lock.withLock { _ = agreements.insert(plate) } }
    func isSigned(_ plate: String) -> Bool { lock.withLock { agreements.contains(plate) } }

    /// The owner added the car in Alipay's car-owner pages, which know it by `carID`.
    public func addVehicle(carID: String, plate: String) { lock.withLock { vehicles[carID] = plate } }
    func vehicle(_ carID: String) -> String? { lock.withLock { vehicles[carID] } }

    public func stay(_ outSerialNo: String) -> Stay? { lock.withLock { stays[outSerialNo] } }
    public var allStays: [Stay] { lock.withLock { Array(stays.values) } }
    /// The Alipay trade of each paid order synced, by our order number.
    public func syncedOrder(_ outOrderNo: String) -> String? { lock.withLock { orders[outOrderNo] } }

    func enter(outSerialNo: String, plate: String, inTime: String) -> Stay {
        lock.withLock {
            if let known = stays[outSerialNo] { return known }
            sequence += 1
            let stay = Stay(serialNo: String(format: "PS%018d", sequence), plate: plate, inTime: inTime)
            stays[outSerialNo] = stay
            return stay
        }
    }

    func exit(outSerialNo: String, outTime: String) -> Bool {
        lock.withLock {
            guard var stay = stays[outSerialNo] else { return false }
            stay.outTime = outTime
            stays[outSerialNo] = stay
            return true
        }
    }

    func synced(order outOrderNo: String, tradeNo: String) { lock.withLock { orders[outOrderNo] = tradeNo } }

    /// Whether this deduction's answer is lost (and uses the switch up).
    func losesAnswer() -> Bool {
        lock.withLock {
            guard losesPaymentAnswerOnce else { return false }
            losesPaymentAnswerOnce = false
            return true
        }
    }
}
