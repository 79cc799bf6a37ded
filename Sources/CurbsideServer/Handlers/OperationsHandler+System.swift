import CurbsideAPI
import CurbsideStore
import Foundation
import OpenAPIRuntime

extension OperationsHandler {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let kind = Components.Schemas.Readiness.DatabasePayload(rawValue: store.kind.rawValue)!
        guard !drain.isDraining else {
            return .serviceUnavailable(.init(body: .json(.init(status: .draining, database: kind, detail: "The server is stopping; send requests elsewhere."))))
        }
        do {
            let queued = try await SessionQueries(database: try database).queuedBatches()
            return .ok(.init(body: .json(.init(status: .ready, database: kind, queuedBatches: queued))))
        } catch {
            return .serviceUnavailable(.init(body: .json(.init(status: .unavailable, database: kind, detail: "The database does not answer."))))
        }
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(CurbsideMetrics.registry.emitToBuffer()))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(Contract.document))))
    }
}
