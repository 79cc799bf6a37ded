/// When a device was out of contact within a period, from its comms_lost and
/// comms_restored records: from each loss to the next restoration, or to the
/// period's end if it never came back.
public enum DeviceOutages {
    /// `lostAtStart` says whether the device's last record before the period was a loss;
    /// `changes` are its records within the period, in time order.
    public static func ranges(lostAtStart: Bool, changes: [DeviceUptime.Change], period: Range<Int64>) -> [Range<Int64>] {
        var outages: [Range<Int64>] = []
        var lostSince: Int64? = lostAtStart ? period.lowerBound : nil
        for change in changes {
            switch change {
            case let .lost(at):
                if lostSince == nil { lostSince = min(max(at, period.lowerBound), period.upperBound) }
            case let .restored(at):
                if let since = lostSince {
                    let until = min(max(at, period.lowerBound), period.upperBound)
                    if until > since { outages.append(since..<until) }
                    lostSince = nil
                }
            }
        }
        if let since = lostSince, period.upperBound > since { outages.append(since..<period.upperBound) }
        return outages
    }
}
