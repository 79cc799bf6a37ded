/// Who is calling. Roles are graded so that those who operate the street
/// cannot alter what finance and audit rely on (seed 004, 篇四).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Runs the system: everything an operator can do, plus users and configuration.
    case admin
    /// The concessionaire's back office: registry edits, device bindings, tariffs.
    case `operator`
    /// An officer on the street with a handheld.
    case patrol
    /// Payments, refunds, reconciliation and revenue reports.
    case finance
    /// Reads everything, including history; changes nothing.
    case auditor
    /// A sensor or camera gateway pushing device events.
    case gateway
    /// A member of the public paying for parking.
    case citizen

    /// People of the concessionaire who sign in with a password: their accounts live in the staff table.
    public var isStaff: Bool {
        switch self {
        case .admin, .operator, .patrol, .finance, .auditor: true
        case .gateway, .citizen: false
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An authenticated caller: a subject (user name, device gateway id, or phone
/// account id) acting in one role.
public struct Principal: Hashable, Sendable, Codable, CustomStringConvertible {
    public var subject: String
    public var role: Role

    public init(subject: String, role: Role) {
        self.subject = subject
        self.role = role
    }

    /// Changes made by Curbside itself, such as loading Zones/ on first start.
    public static let system = Principal(subject: "curbside", role: .admin)

    public var description: String { "\(role.rawValue):\(subject)" }
}
