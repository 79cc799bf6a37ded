import CurbsideCore
import Foundation

/// A zone, road segment or bay as stored: its attributes plus the state that
/// only actions change, and the revision that guards concurrent edits.
public struct RegistryRecord<Spec: Sendable>: Sendable {
    public var spec: Spec
    /// The zone the record belongs to (a zone's own id for zones).
    public var zoneID: String
    public var lifecycle: Lifecycle
    public var suspension: Suspension?
    public var revision: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// For bays, metres along the segment's kerb line: the walking order.
    public var chainage: Double?

    public func status(at instant: Date) -> EffectiveStatus {
        EffectiveStatus.at(instant, lifecycle: lifecycle, suspension: suspension)
    }
}

public typealias ZoneRecord = RegistryRecord<ZoneSpec>
public typealias RoadSegmentRecord = RegistryRecord<RoadSegmentSpec>
public typealias BayRecord = RegistryRecord<BaySpec>
