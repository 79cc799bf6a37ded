/// The registry as stored, which an import or an edit is checked against.
public struct RegistrySnapshot: Sendable {
    public struct Entry<Spec: Sendable>: Sendable {
        public var spec: Spec
        public var lifecycle: Lifecycle

        public init(spec: Spec, lifecycle: Lifecycle) {
            self.spec = spec
            self.lifecycle = lifecycle
        }
    }

    public var zones: [String: Entry<ZoneSpec>]
    public var segments: [String: Entry<RoadSegmentSpec>]
    public var bays: [BayCode: Entry<BaySpec>]

    public init(
        zones: [String: Entry<ZoneSpec>] = [:],
        segments: [String: Entry<RoadSegmentSpec>] = [:],
        bays: [BayCode: Entry<BaySpec>] = [:]
    ) {
        self.zones = zones
        self.segments = segments
        self.bays = bays
    }
}
