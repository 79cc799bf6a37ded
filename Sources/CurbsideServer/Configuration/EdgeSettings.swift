import Foundation

/// What the public edge allows before it says no: throttles, lock-outs,
/// connection timeouts and the proxies whose client addresses are believed.
/// Defaults suit a city behind carrier-grade NAT, where many phones share
/// one address; every value is documented in docs/security.md.
public struct EdgeSettings: Sendable {
    /// So many requests per period; a burst of `limit` is allowed, then one per `period / limit`.
    public struct Rate: Sendable, Equatable, CustomStringConvertible, SettingValue {
        public var limit: Int
        public var period: TimeInterval

        public init(_ limit: Int, per period: TimeInterval) {
            self.limit = limit
            self.period = period
        }

        public var description: String { "\(limit)/\(Int(period))s" }

        static let expectation = "a count per period such as 30/1m, 10/1h or 5/30s"

        /// `30/1m`, `10/1h`, `20/10m`, `5/30s`.
        init?(setting: String) {
            let parts = setting.split(separator: "/")
            guard parts.count == 2, let limit = Int(parts[0]), limit > 0, let unit = parts[1].last else { return nil }
            let scale: TimeInterval = switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            default: 0
            }
            guard scale > 0, let count = Int(parts[1].dropLast()), count > 0, count <= 100_000 else { return nil }
            self.init(limit, per: TimeInterval(count) * scale)
        }
    }

    /// Password sign-ins from one address.
    public var staffSignInPerAddress = Rate(20, per: 600)
    /// Failed sign-ins in a row that lock a staff account, and for how long (an admin can unlock it sooner).
    public var staffLockoutFailures = 5
    public var staffLockoutSeconds: TimeInterval = 900
    /// Sign-in codes: per phone, per address, and all phones together (the operator pays for every message).
    public var codesPerPhone = Rate(5, per: 3600)
    public var codesPerAddress = Rate(10, per: 3600)
    public var codesPerHour = 1_000
    /// Code sign-ins (guesses) from one address.
    public var codeSignInsPerAddress = Rate(30, per: 600)
    /// Bill and plate look-ups by callers who are not staff, per address.
    public var lookupsPerAddress = Rate(60, per: 60)
    /// Receipts polled by callers who are not staff, per address (a pay page polls while it waits).
    public var receiptsPerAddress = Rate(120, per: 60)
    /// Plate bindings tried by one citizen (each is a guess at a notice's token).
    public var bindingsPerCitizen = Rate(10, per: 3600)
    /// Alert streams one officer may hold open at once on one server.
    public var alertStreamsPerOfficer = 2
    /// Connections that send or receive nothing for this long are closed (seconds).
    public var idleTimeout: TimeInterval = 30
    /// After SIGTERM, how long readiness answers 503 while requests are still served, so a load balancer stops sending
    /// new ones before the server stops (`CURBSIDE_DRAIN_SECONDS`).
    public var drainSeconds = 5
    /// Peers whose X-Forwarded-For is believed (load balancers): addresses or IPv4 CIDR blocks.
    public var trustedProxies: [String] = []
    /// Write sign-in codes and payment tokens into the log notifier's lines. For a developer's own machine only.
    public var revealSecretsInLog = false

    public init() {}

    /// `CURBSIDE_LIMIT_*` (rates), `CURBSIDE_STAFF_LOCKOUT_FAILURES`, `CURBSIDE_STAFF_LOCKOUT_SECONDS`,
    /// `CURBSIDE_ALERT_STREAMS_PER_OFFICER`, `CURBSIDE_IDLE_TIMEOUT_SECONDS`, `CURBSIDE_TRUSTED_PROXIES`,
    /// `CURBSIDE_DEV_LOG_SECRETS`.
    init(reading curbside: SettingsReader) throws {
        let limit = curbside.scoped(to: "limit")
        let staff = curbside.scoped(to: "staffLockout")
        staffSignInPerAddress = try limit.value("staffSignIn", as: Rate.self) ?? staffSignInPerAddress
        staffLockoutFailures = try staff.whole("failures", default: staffLockoutFailures, in: 1...100)
        staffLockoutSeconds = TimeInterval(try staff.whole("seconds", default: Int(staffLockoutSeconds), in: 1...86_400))
        codesPerPhone = try limit.value("codesPerPhone", as: Rate.self) ?? codesPerPhone
        codesPerAddress = try limit.value("codesPerAddress", as: Rate.self) ?? codesPerAddress
        codesPerHour = try limit.whole("codesPerHour", default: codesPerHour, in: 1...10_000_000)
        codeSignInsPerAddress = try limit.value("codeSignIn", as: Rate.self) ?? codeSignInsPerAddress
        lookupsPerAddress = try limit.value("lookups", as: Rate.self) ?? lookupsPerAddress
        receiptsPerAddress = try limit.value("receipts", as: Rate.self) ?? receiptsPerAddress
        bindingsPerCitizen = try limit.value("bindings", as: Rate.self) ?? bindingsPerCitizen
        alertStreamsPerOfficer = try curbside.whole("alertStreamsPerOfficer", default: alertStreamsPerOfficer, in: 1...100)
        idleTimeout = TimeInterval(try curbside.whole("idleTimeoutSeconds", default: Int(idleTimeout), in: 1...3600))
        drainSeconds = try curbside.whole("drainSeconds", default: drainSeconds, in: 0...120)
        if let text = curbside.text("trustedProxies") {
            let proxies = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard proxies.allSatisfy({ TrustedProxies.isValid($0) }) else {
                throw curbside.refusal("trustedProxies", "expected addresses or IPv4 CIDR blocks separated by commas", text: text)
            }
            trustedProxies = proxies
        }
        revealSecretsInLog = try curbside.flag("devLogSecrets", default: false)
    }
}
