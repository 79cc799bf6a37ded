/// The zones, road segments and bays read from one import file, each with
/// the index of the feature it came from so that later checks can point at it.
public struct RegistryDocument: Sendable {
    public struct Item<Spec: Sendable>: Sendable {
        public var index: Int
        public var spec: Spec
        /// Set when the file states a lifecycle; nil leaves the stored one alone.
        public var lifecycle: Lifecycle?

        public init(index: Int, spec: Spec, lifecycle: Lifecycle?) {
            self.index = index
            self.spec = spec
            self.lifecycle = lifecycle
        }
    }

    public var zones: [Item<ZoneSpec>] = []
    public var segments: [Item<RoadSegmentSpec>] = []
    public var bays: [Item<BaySpec>] = []
    /// Ids of zones and segments whose features failed to read: references to them
    /// are not reported again as unknown, the feature's own problem already is.
    public var unreadableZones: Set<String> = []
    public var unreadableSegments: Set<String> = []

    public init() {}

    public var isEmpty: Bool { zones.isEmpty && segments.isEmpty && bays.isEmpty }
}
