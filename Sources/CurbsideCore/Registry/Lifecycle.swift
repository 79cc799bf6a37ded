import Foundation

/// Whether an asset is in service. Retirement is final: a retired bay's code
/// stays reserved so old bills and evidence keep pointing at one place.
public enum Lifecycle: String, Sendable, Codable, CaseIterable {
    case active, retired
}

/// A temporary closure (roadworks, an event, a market day) from `from` until `until`,
/// open-ended when `until` is nil.
public struct Suspension: Hashable, Sendable, Codable {
    public var reason: String
    public var from: Date
    public var until: Date?

    public init(reason: String, from: Date, until: Date?) {
        self.reason = reason
        self.from = from
        self.until = until
    }

    public func covers(_ instant: Date) -> Bool {
        from <= instant && until.map { instant < $0 } ?? true
    }
}

/// What a bay or zone is at a given instant.
public enum EffectiveStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended, retired

    public static func at(_ instant: Date, lifecycle: Lifecycle, suspension: Suspension?) -> EffectiveStatus {
        if lifecycle == .retired { return .retired }
        if let suspension, suspension.covers(instant) { return .suspended }
        return .active
    }

    /// A bay is as closed as the more closed of itself and its zone.
    public func combined(with other: EffectiveStatus) -> EffectiveStatus {
        switch (self, other) {
        case (.retired, _), (_, .retired): .retired
        case (.suspended, _), (_, .suspended): .suspended
        default: .active
        }
    }
}
