import CurbsideCore
import JWTKit

/// The claims of a Curbside bearer token: who, in which role, until when.
struct AccessToken: JWTPayload {
    var sub: SubjectClaim
    var role: String
    var iss: IssuerClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
