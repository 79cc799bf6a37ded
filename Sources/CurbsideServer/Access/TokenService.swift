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

    public func issue(for principal: Principal, validFor lifetime: TimeInterval, now: Date = Date()) async throws -> String {
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
            throw APIError(.unauthorized, "token_expired", "The token has expired; get a new one.")
        } catch {
            throw APIError(.unauthorized, "token_invalid", "The token is malformed or not signed by this server.")
        }
        guard claims.iss.value == issuer else {
            throw APIError(.unauthorized, "token_invalid", "The token was issued by '\(claims.iss.value)', not by this server.")
        }
        guard let role = Role(rawValue: claims.role) else {
            throw APIError(.unauthorized, "token_invalid", "The token's role '\(claims.role)' is unknown.")
        }
        return Principal(subject: claims.sub.value, role: role)
    }
}
