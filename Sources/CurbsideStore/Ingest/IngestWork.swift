import CurbsideCore

/// What a stored batch leaves for the background rounds: the bays to refold
/// (from their earliest new event) and what its devices reported. Ingestion
/// queues one of these per batch in the batch's own transaction, so it is
/// exactly as durable as the events, and no two batches write the same row.
struct IngestWork: Codable, Sendable, Equatable {
    /// Each bay's earliest new event, device time.
    var bays: [String: Int64] = [:]
    var devices: [String: DeviceReport] = [:]
    /// The highest row id of the batch's events. A round folds events up to the
    /// highest of the batches it takes, and no further: events of batches still
    /// queued are theirs to fold, so that they never look late.
    var lastEvent: Int64 = 0
    /// Each camera's earliest new event about a bay, device time: every bay the camera
    /// watches refolds from it, as a plate read at one bay tells its neighbours whose car is whose.
    var cameras: [String: Int64]?

    init(bays: [String: Int64] = [:], devices: [String: DeviceReport] = [:], lastEvent: Int64 = 0) {
        self.bays = bays
        self.devices = devices
        self.lastEvent = lastEvent
    }

    init(_ rows: [EventRow], lastEvent: Int64, receivedAt received: Int64) {
        self.lastEvent = lastEvent
        var reads: [String: Int64] = [:]
        // A gateway that sent any report promptly sent this batch live, not from a backlog.
        let live = Set(rows.filter { $0.deviceTime - $0.receivedTime >= -DeviceReport.ClockSample.promptWindow }.map(\.gatewayID))
        for row in rows {
            if let bay = row.bay?.rawValue { bays[bay] = min(bays[bay] ?? .max, row.deviceTime) }
            if row.bay != nil, NeighbourReads.cameraKinds.contains(row.kind.rawValue) {
                reads[row.deviceID] = min(reads[row.deviceID] ?? .max, row.deviceTime)
            }
            // A handheld is not a device whose health we watch.
            guard !row.kind.isPatrol else { continue }
            devices[row.deviceID, default: DeviceReport(row, receivedAt: received)].add(row, receivedAt: received, gatewayLive: live.contains(row.gatewayID))
        }
        cameras = reads.isEmpty ? nil : reads
    }

    mutating func merge(_ other: IngestWork) {
        bays.merge(other.bays, uniquingKeysWith: min)
        lastEvent = max(lastEvent, other.lastEvent)
        if let more = other.cameras { cameras = (cameras ?? [:]).merging(more, uniquingKeysWith: min) }
        devices.merge(other.devices) { $0.merged(with: $1) }
    }
}
