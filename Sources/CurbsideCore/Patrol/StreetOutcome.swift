/// What became of a street action. Applied: it did what was asked. Conflict:
/// the bay's other records settled it otherwise by a documented rule, and it
/// changed nothing (or less than asked); `code` says which rule.
public struct StreetOutcome: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case applied, conflict
    }

    public var status: Status
    public var code: String
    public var message: String
    /// The stay the action was about, after it.
    public var sessionID: String?

    public init(status: Status, code: String, message: String, sessionID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.sessionID = sessionID
    }

    /// The outcome of an action that became an event, read from the bay's
    /// sessions folded without it (`before`) and with it (`after`), so that it
    /// reports exactly what the fold made of it.
    public static func of(_ action: StreetAction, key: String, before: [ParkingSession], after: [ParkingSession]) -> StreetOutcome {
        let t = action.at
        func covering(_ sessions: [ParkingSession]) -> ParkingSession? {
            sessions.last { $0.start <= t && ($0.end ?? .max) >= t }
        }
        switch action.kind {
        case .sessionStart:
            guard let session = covering(after) else {
                return StreetOutcome(status: .conflict, code: "no_session", message: "No stay could be started at that time.")
            }
            if covering(before) != nil {
                return StreetOutcome(status: .applied, code: "joined", message: "The devices had already recorded this stay; the officer's look confirms it.", sessionID: session.id)
            }
            return StreetOutcome(status: .applied, code: "started", message: "A stay was started by hand.", sessionID: session.id)
        case .sessionEnd:
            guard let target = before.last(where: { $0.start <= t }) else {
                return StreetOutcome(status: .conflict, code: "no_session", message: "No stay was open in the bay at that time.")
            }
            if let ended = after.first(where: { $0.id == target.id }), ended.flags.contains(.patrolEnded), !target.flags.contains(.patrolEnded) {
                return StreetOutcome(status: .applied, code: "ended", message: "The stay was ended by hand.", sessionID: ended.id)
            }
            return StreetOutcome(status: .conflict, code: "already_closed", message: "The stay had already ended before then; the earlier end stands.", sessionID: target.id)
        case .plate:
            guard let session = covering(after), session.plateSource == key else {
                return StreetOutcome(status: .conflict, code: "no_session", message: "No stay covers that time in the bay; the plate was kept as evidence only.")
            }
            let previous = covering(before)?.plate
            let same = previous.map { $0.plate == action.plate && $0.colour == (action.colour ?? .unknown) } ?? false
            return StreetOutcome(status: .applied, code: same ? "confirmed" : "corrected", message: same ? "The plate was confirmed." : "The plate was set by the officer.", sessionID: session.id)
        case .photos:
            guard let session = covering(after) else {
                return StreetOutcome(status: .conflict, code: "no_session", message: "No stay covers that time in the bay; the photos were kept as evidence only.")
            }
            return StreetOutcome(status: .applied, code: "attached", message: "The photos were added to the stay's evidence.", sessionID: session.id)
        case .cash, .notice:
            preconditionFailure("cash and notices are not events of the bay")
        }
    }
}
