import CurbsideStore
import Foundation
import OpenAPIRuntime
import SQLKit

extension APIHandler {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let kind = Components.Schemas.Readiness.DatabasePayload(rawValue: store.kind.rawValue)!
        do {
            guard let sql = try database as? any SQLDatabase else { throw APIError(.internalServerError, "internal_error", "not SQL") }
            _ = try await sql.raw("SELECT 1 AS ok").first()
            return .ok(.init(body: .json(.init(status: .ready, database: kind))))
        } catch {
            return .serviceUnavailable(.init(body: .json(.init(status: .unavailable, database: kind, detail: "The database does not answer."))))
        }
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(CurbsideMetrics.registry.emitToBuffer()))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(openAPIDocument))))
    }
}
