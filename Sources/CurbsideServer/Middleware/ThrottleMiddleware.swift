import CurbsideCore
import HTTPTypes
import OpenAPIRuntime

/// Counts the requests a public deployment must ration, once the caller is
/// known and before anything else is read: password and code sign-ins per
/// address, sign-in codes per address, bill and plate look-ups and receipts
/// by callers who are not staff per address, plate bindings per citizen.
/// Over the limit is 429 with Retry-After. Sign-in codes per phone and per
/// hour, and staff lock-outs, are counted in the database by their handlers.
struct ThrottleMiddleware: ServerMiddleware {
    let guards: EdgeGuards

    /// Bill and plate look-ups share one bucket per address.
    static let lookups: Set<String> = [
        "findBills", "getBillForPayment", "openPayLink", "getPayLinkQR", "getBayStay", "payPage", "bayPage", "getPayLinkEvidence",
    ]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let settings = guards.settings
        let caller = RequestContext.principal
        let staff = caller?.role.isStaff ?? false
        switch operationID {
        case "staffSignIn":
            try guards.take(settings.staffSignInPerAddress, rule: "staff-sign-in", key: guards.clientAddress, what: "sign-in attempts from your address")
        case "requestSignInCode":
            try guards.take(settings.codesPerAddress, rule: "codes", key: guards.clientAddress, what: "sign-in codes asked for from your address")
        case "signIn":
            try guards.take(settings.codeSignInsPerAddress, rule: "code-sign-in", key: guards.clientAddress, what: "sign-in attempts from your address")
        case let id where Self.lookups.contains(id) && !staff:
            try guards.take(settings.lookupsPerAddress, rule: "lookups", key: guards.clientAddress, what: "bill and plate look-ups from your address")
        case "getPayment" where !staff:
            try guards.take(settings.receiptsPerAddress, rule: "receipts", key: guards.clientAddress, what: "receipts asked for from your address")
        case "bindPlate":
            try guards.take(settings.bindingsPerCitizen, rule: "bindings", key: caller?.subject ?? guards.clientAddress, what: "plate bindings tried")
        default:
            break
        }
        return try await next(request, body, metadata)
    }
}
