/// What a patrol officer needs to know of a bay at a glance, in the order
/// they matter: a closed bay, a device to fix, then the car in it.
public enum BayState: String, Sendable, Codable, CaseIterable {
    /// Closed (suspended or retired): nothing to collect.
    case suspended
    /// The detector is offline or has never reported: look for yourself.
    case deviceFault = "device_fault"
    case free
    /// A car is there and its stay is covered: prepaid, a permit, or an exempt vehicle.
    case occupiedPaid = "occupied_paid"
    /// A car is there and will be billed when it leaves.
    case occupiedUnpaid = "occupied_unpaid"
    /// A car is there and no camera has read its plate: enter it by hand.
    case noPlate = "no_plate"
    /// The car has stayed longer than the overstay limit.
    case overstay

    /// The state of a bay from what is known of it.
    public static func of(
        suspended: Bool, sensorOnline: Bool?, occupied: Bool?, openSince start: Int64?, plateRead: Bool, covered: Bool, now: Int64, overstayAfter: Int64
    ) -> BayState {
        if suspended { return .suspended }
        if sensorOnline != true && start == nil { return .deviceFault }
        guard let start else { return occupied == true ? .noPlate : .free }
        if !plateRead { return .noPlate }
        if now - start > overstayAfter { return .overstay }
        return covered ? .occupiedPaid : .occupiedUnpaid
    }
}
