import AsyncKit
import CurbsideStore
import FluentKit
import OpenAPIRuntime
import Vapor

/// Turns every error into the contract's error body. Errors the client caused
/// get a 4xx with a code, a database too busy to serve in time a 503; anything
/// else is logged in full and answered 500 without internals.
struct ErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = Self.apiError(for: error)
            if apiError.status == .internalServerError {
                request.logger.error("request failed", metadata: Self.failure(error, request: request))
            } else if apiError.code == RequestErrorCode.databaseBusy.rawValue {
                request.logger.warning("request refused: database busy", metadata: Self.failure(error, request: request))
            }
            let response = Response(status: apiError.status)
            try response.content.encode(
                ErrorBody(code: apiError.code, message: apiError.message, issues: apiError.issues.isEmpty ? nil : apiError.issues, didYouMean: apiError.didYouMean),
                as: .json
            )
            if apiError.status == .unauthorized {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            }
            if let seconds = apiError.retryAfter {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            }
            if !apiError.allow.isEmpty {
                response.headers.replaceOrAdd(name: .allow, value: apiError.allow.joined(separator: ", "))
            }
            return response
        }
    }

    /// What a 500 logs: the operation and the error at the root, never the
    /// request itself (its headers carry the caller's token).
    static func failure(_ error: any Error, request: Request) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["method": "\(request.method.rawValue)", "route": "\(RequestLogMiddleware.route(of: request))"]
        var root = error
        if let server = error as? ServerError {
            metadata["operation"] = "\(server.operationID)"
            root = server.underlyingError
        }
        metadata["error"] = "\(String(reflecting: root))"
        return metadata
    }

    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as RegistryError:
            return APIError(error)
        case let error as BillingError:
            return APIError(error)
        case let error as PatrolError:
            return APIError(error)
        case let error as DecodingError:
            return APIError(error)
        case is ConnectionPoolTimeoutError:
            // Every connection stayed busy for the whole wait (CURBSIDE_DB_POOL_TIMEOUT_SECONDS): overloaded, not broken.
            return APIError(.serviceUnavailable, RequestErrorCode.databaseBusy, "The database is busy; ask again in a moment.", retryAfter: 1)
        case let error as any DatabaseError where error.isConstraintFailure:
            // Two requests raced for the same key; the later one lost.
            return APIError(.conflict, RequestErrorCode.conflict, "The change conflicts with one made at the same moment; read the record again and retry.")
        case let error as ServerError:
            let mapped = apiError(for: error.underlyingError)
            // The request could not be turned into the operation's input: the client's fault.
            if mapped.status == .internalServerError && error.operationInput == nil {
                return .badRequest(RequestErrorCode.invalidRequest, error.causeDescription)
            }
            return mapped
        case let error as any AbortError:
            // Vapor's own refusals, before a route: answered in the codes this server documents.
            let code: RequestErrorCode = switch error.status {
            case .notFound: .routeNotFound
            case .payloadTooLarge: .bodyTooLarge
            case .methodNotAllowed: .methodNotAllowed
            case .unsupportedMediaType: .unsupportedMediaType
            case .notAcceptable: .notAcceptable
            default: error.status.code < 500 ? .invalidRequest : .internalError
            }
            return APIError(error.status, code, error.status == .notFound ? "No such endpoint; see /openapi.yaml." : error.reason)
        default:
            return APIError(.internalServerError, RequestErrorCode.internalError, "Something went wrong on our side; it has been logged.")
        }
    }
}
