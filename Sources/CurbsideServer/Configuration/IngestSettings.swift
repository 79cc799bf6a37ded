import CurbsideCore

/// How device events become sessions, and when a silent device counts as offline.
public struct IngestSettings: Sendable {
    /// The thresholds of session fusion.
    public var fusion = FusionRules()
    /// A device with no report for this long is offline (comms lost), in milliseconds.
    public var deviceOfflineAfter: Int64 = 15 * Milliseconds.minute

    public init() {}

    /// `CURBSIDE_DEBOUNCE_SECONDS`, `CURBSIDE_ASSOCIATION_SECONDS`, `CURBSIDE_OUTAGE_SECONDS`,
    /// `CURBSIDE_DEVICE_OFFLINE_SECONDS`.
    init(reading curbside: SettingsReader) throws {
        fusion.debounce = try curbside.seconds("debounceSeconds", defaultMilliseconds: fusion.debounce)
        fusion.association = try curbside.seconds("associationSeconds", defaultMilliseconds: fusion.association)
        fusion.outage = try curbside.seconds("outageSeconds", defaultMilliseconds: fusion.outage)
        deviceOfflineAfter = try curbside.seconds("deviceOfflineSeconds", defaultMilliseconds: deviceOfflineAfter)
    }
}
