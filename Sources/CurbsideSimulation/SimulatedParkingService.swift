import CurbsidePayments
import Foundation

/// What WeChat Pay's parking service knows, in the simulator: which users
/// opened it for which plates, the cars entered, and the plates whose
/// accounts cannot pay.
public final class SimulatedParkingService: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var parkingID: String
        public var outParkingNo: String
        public var plate: String
        public var colour: String
        public var start: String
        public var parkingName: String
        public var notifyURL: String
        public var state: String
        public var blockReason: String?
    }

    /// Deductions for these plates end PAY_FAIL (the user's account cannot pay).
    @Locked public var failingPlates: Set<String> = []
    /// Deductions stay ACCEPTED until `WeChatPaySimulator.chargeDeductions()`, as when WeChat Pay takes its time.
    @Locked public var holdsDeductions = false

    private let lock = NSLock()
    private var services: [String: WeChatParking.ServiceState] = [:]
    private var entries: [String: Entry] = [:]
    private var sequence = 0

    /// The user `openID` opens (or pauses) the service for a plate.
    public func open(plate: String, colour: String, openID: String, state: WeChatParking.ServiceState = .normal) {
        lock.withLock { services["\(plate)|\(colour)|\(openID)"] = state }
    }

    func state(plate: String, colour: String, openID: String) -> WeChatParking.ServiceState {
        lock.withLock { services["\(plate)|\(colour)|\(openID)"] ?? .notOpen }
    }

    public func entry(_ outParkingNo: String) -> Entry? { lock.withLock { entries[outParkingNo] } }
    public var allEntries: [Entry] { lock.withLock { Array(entries.values) } }

    func entry(parkingID: String) -> Entry? { lock.withLock { entries.values.first { $0.parkingID == parkingID } } }

    /// Enters a car once per out_parking_no: blocked (PAUSE) when no user has the service open for the plate.
    func enter(_ entry: Entry) -> Entry {
        lock.withLock {
            if let existing = entries[entry.outParkingNo] { return existing }
            sequence += 1
            var entry = entry
            entry.parkingID = String(format: "5K8264ILTK%09d", sequence)
            let open = services.contains { $0.key.hasPrefix("\(entry.plate)|\(entry.colour)|") && $0.value == .normal }
            entry.state = open ? "NORMAL" : "BLOCKED"
            entry.blockReason = open ? nil : "PAUSE"
            entries[entry.outParkingNo] = entry
            return entry
        }
    }

    func update(_ outParkingNo: String, state: String, reason: String?) -> Entry? {
        lock.withLock {
            guard var entry = entries[outParkingNo] else { return nil }
            entry.state = state
            entry.blockReason = reason
            entries[outParkingNo] = entry
            return entry
        }
    }
}
