import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension EnforcementHandler {
    func fileAppeal(_ input: Operations.FileAppeal.Input) async throws -> Operations.FileAppeal.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let text = try InputValidation.text(request.text, field: "text", maxLength: 1000)
        let appeal = try await Appeals(store: store, database: try database).file(
            bill: request.billNumber, citizen: try principal.subject, reason: Appeal.Reason(rawValue: request.reason.rawValue)!, text: text, now: now
        )
        return .created(.init(body: .json(.init(appeal))))
    }

    func listMyAppeals(_ input: Operations.ListMyAppeals.Input) async throws -> Operations.ListMyAppeals.Output {
        let appeals = try await Appeals(store: store, database: try database).appeals(citizen: try principal.subject)
        return .ok(.init(body: .json(.init(items: appeals.map(Components.Schemas.Appeal.init)))))
    }

    func listAppeals(_ input: Operations.ListAppeals.Input) async throws -> Operations.ListAppeals.Output {
        let appeals = try await Appeals(store: store, database: try database).appeals(status: input.query.status.map { Appeal.Status(rawValue: $0.rawValue)! })
        return .ok(.init(body: .json(.init(items: appeals.map(Components.Schemas.Appeal.init)))))
    }

    func decideAppeal(_ input: Operations.DecideAppeal.Input) async throws -> Operations.DecideAppeal.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let note = try InputValidation.text(request.note, field: "note", maxLength: 500)
        let appeal = try await Appeals(store: store, database: try database).decide(
            input.path.appealId, upheld: request.upheld, correctedFen: request.correctedFen, note: note, by: try principal, now: now
        )
        return .ok(.init(body: .json(.init(appeal))))
    }
}
