/// What applying a document to the registry would do, entity by entity.
/// Unchanged entities are counted but carry no change, so applying the same
/// file twice writes nothing the second time.
public struct RegistryPlan: Sendable {
    public enum Entity: String, Sendable, Codable {
        case zone, segment, bay
    }

    public enum Action: String, Sendable, Codable {
        case created, updated, retired
    }

    public struct Change<Spec: Sendable>: Sendable {
        public var action: Action
        public var spec: Spec
        public var lifecycle: Lifecycle
        public var fields: [FieldChange]
    }

    public var zones: [Change<ZoneSpec>] = []
    public var segments: [Change<RoadSegmentSpec>] = []
    public var bays: [Change<BaySpec>] = []
    public var unchanged = 0

    public var changeCount: Int { zones.count + segments.count + bays.count }

    public func count(_ entity: Entity, _ action: Action) -> Int {
        switch entity {
        case .zone: zones.count { $0.action == action }
        case .segment: segments.count { $0.action == action }
        case .bay: bays.count { $0.action == action }
        }
    }
}
