/// How access tokens are signed.
public struct TokenSettings: Sendable {
    /// HMAC key; generated into the data directory when not given.
    public var secret: String?
    /// The `iss` claim tokens carry.
    public var issuer = "curbside"

    public init(secret: String? = nil) {
        self.secret = secret
    }

    /// `CURBSIDE_JWT_SECRET` (at least 32 bytes), `CURBSIDE_TOKEN_ISSUER`.
    init(reading curbside: SettingsReader) throws {
        secret = curbside.text("jwtSecret", isSecret: true)
        if let secret, secret.utf8.count < 32 {
            throw ConfigurationError(variable: curbside.variable("jwtSecret"), reason: "use at least 32 bytes")
        }
        issuer = curbside.text("tokenIssuer") ?? issuer
    }
}
