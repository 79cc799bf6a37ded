import CurbsideCore

/// The edge's counters and the rules they apply, shared by the throttle
/// middleware and the handlers that count in their own way (sign-in codes,
/// alert streams). One per server process.
struct EdgeGuards: Sendable {
    let settings: EdgeSettings
    let limiter = RateLimiter()
    let streams = ConcurrencyLimiter()
    let proxies: TrustedProxies

    init(settings: EdgeSettings) {
        self.settings = settings
        proxies = TrustedProxies(settings.trustedProxies)
    }

    /// The address the request being served counts against.
    var clientAddress: String {
        RequestContext.request.map(proxies.client) ?? "unknown"
    }

    /// Takes one from `key`'s bucket of `rule`; a 429 when it is empty.
    func take(_ rate: EdgeSettings.Rate, rule: String, key: String, code: some ErrorCode = RequestErrorCode.tooManyRequests, what: String) throws(APIError) {
        if let wait = limiter.take(rate, rule: rule, key: key) {
            throw .tooMany(code, "Too many \(what) (at most \(rate.limit) per \(Self.period(rate.period))); try again in \(wait) s.", retryAfter: wait)
        }
    }

    static func period(_ seconds: Double) -> String {
        switch seconds {
        case 3600: "hour"
        case 60: "minute"
        case let value where value.truncatingRemainder(dividingBy: 3600) == 0: "\(Int(value / 3600)) hours"
        case let value where value.truncatingRemainder(dividingBy: 60) == 0: "\(Int(value / 60)) minutes"
        default: "\(Int(seconds)) s"
        }
    }
}
