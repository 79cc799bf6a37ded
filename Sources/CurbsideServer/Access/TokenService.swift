import CurbsideCore
import Crypto
import Foundation
import JWTKit

/// Issues and verifies HS256-signed bearer tokens.
public struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let issuer: String

    public init(secret: Data, issuer: String) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256)
        self.issuer = issuer
    }

    /// The longest a token may be valid for, by role: a token beyond it is refused however it was signed.
    public static func maximumLifetime(_ role: Role) -> TimeInterval {
        switch role {
        case .admin, .operator, .patrol, .finance, .auditor: 7 * 86_400
        case .citizen: 30 * 86_400
        case .gateway: 366 * 86_400
        }
    }

    /// How far ahead of this server's clock a token's issue time may be (another server's clock).
    static let clockLeeway: TimeInterval = 60

    public func issue(for principal: Principal, validFor lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        guard lifetime > 0, lifetime <= Self.maximumLifetime(principal.role) else {
            throw APIError(.badRequest, AccessErrorCode.tokenLifetime, "A \(principal.role.rawValue) token is valid for at most \(Int(Self.maximumLifetime(principal.role) / 3600)) hours.")
        }
        let token = AccessToken(
            sub: SubjectClaim(value: principal.subject), role: principal.role.rawValue,
            iss: IssuerClaim(value: issuer), iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(lifetime))
        )
        return try await keys.sign(token)
    }

    /// The principal a token speaks for; a 401 for anything wrong with it.
    public func verify(_ token: String) async throws(APIError) -> Principal {
        let claims: AccessToken
        do {
            claims = try await keys.verify(token, as: AccessToken.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw APIError(.unauthorized, AccessErrorCode.tokenExpired, "The token has expired; get a new one.")
        } catch {
            throw APIError(.unauthorized, AccessErrorCode.tokenInvalid, "The token is malformed or not signed by this server.")
        }
        guard claims.iss.value == issuer else {
            throw APIError(.unauthorized, AccessErrorCode.tokenInvalid, "The token was issued by '\(claims.iss.value)', not by this server.")
        }
        guard let role = Role(rawValue: claims.role) else {
            throw APIError(.unauthorized, AccessErrorCode.tokenInvalid, "The token's role '\(claims.role)' is unknown.")
        }
        // Tokens are checked against the system clock, as JWTKit checks their expiry.
        guard claims.iat.value.timeIntervalSinceNow <= Self.clockLeeway else {
            throw APIError(.unauthorized, AccessErrorCode.tokenInvalid, "The token says it was issued in the future.")
        }
        guard claims.exp.value.timeIntervalSince(claims.iat.value) <= Self.maximumLifetime(role) else {
            throw APIError(.unauthorized, AccessErrorCode.tokenInvalid, "The token is valid for longer than a \(role.rawValue) token may be; get a new one.")
        }
        return Principal(subject: claims.sub.value, role: role)
    }
}
