/// What a bay is reserved for.
public enum BayKind: Hashable, Sendable {
    case normal
    case disabled
    case loading
    /// A bay with a charging post; the charger id is the operator's, power in kW.
    case evCharging(chargerID: String, powerKW: Double)

    public var name: String {
        switch self {
        case .normal: "normal"
        case .disabled: "disabled"
        case .loading: "loading"
        case .evCharging: "ev_charging"
        }
    }

    public static let names = ["normal", "disabled", "loading", "ev_charging"]

    public var charger: (id: String, powerKW: Double)? {
        if case let .evCharging(id, power) = self { return (id, power) }
        return nil
    }

    /// Builds a kind from its stored parts; nil when the parts do not fit together.
    public init?(name: String, chargerID: String?, powerKW: Double?) {
        switch (name, chargerID, powerKW) {
        case ("normal", nil, nil): self = .normal
        case ("disabled", nil, nil): self = .disabled
        case ("loading", nil, nil): self = .loading
        case let ("ev_charging", id?, power?) where !id.isEmpty && power > 0 && power.isFinite:
            self = .evCharging(chargerID: id, powerKW: power)
        default: return nil
        }
    }
}
