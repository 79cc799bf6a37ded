import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation
import OpenAPIRuntime

extension RegistryHandler {
    func importRegistry(_ input: Operations.ImportRegistry.Input) async throws -> Operations.ImportRegistry.Output {
        // The body is re-encoded and read by the registry's own GeoJSON reader, so the
        // API and `curbside import zones` report problems identically.
        let document: Components.Schemas.GeoJSONDocument = switch input.body {
        case let .applicationGeoJson(body): body
        case let .json(body): body
        }
        let data = try JSONEncoder().encode(document)
        let summary = try await registry.importGeoJSON(data, cityTimeZone: configuration.city.timeZone.identifier, by: principal, dryRun: input.query.dryRun ?? false, at: clock())
        return .ok(.init(body: .json(.init(summary))))
    }

    func listRegistryChanges(_ input: Operations.ListRegistryChanges.Input) async throws -> Operations.ListRegistryChanges.Output {
        let query = input.query
        let limit = query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let changes = try await registry.changes(
            after: query.after.map(Int.init), since: query.since,
            entity: query.entity.map { RegistryPlan.Entity(rawValue: $0.rawValue)! }, entityID: query.entityId, limit: limit
        )
        let items = changes.map(Components.Schemas.RegistryChange.init)
        return .ok(.init(body: .json(.init(items: items, nextAfter: changes.count == limit ? changes.last.map { Int64($0.id) } : nil))))
    }
}

extension Components.Schemas.ImportSummary {
    init(_ summary: ImportSummary) {
        func counts(_ value: ImportSummary.Counts) -> Components.Schemas.CountsByAction {
            .init(created: value.created, updated: value.updated, retired: value.retired)
        }
        self.init(dryRun: summary.dryRun, zones: counts(summary.zones), segments: counts(summary.segments), bays: counts(summary.bays), unchanged: summary.unchanged)
    }
}

extension Components.Schemas.RegistryChange {
    init(_ change: RegistryChange) {
        self.init(
            id: Int64(change.id), changedAt: change.changedAt, actor: change.actor?.subject ?? "unknown",
            actorRole: change.actor?.role.rawValue ?? "unknown", entity: .init(rawValue: change.entity.rawValue)!,
            entityId: change.entityID, action: .init(rawValue: change.action) ?? .updated,
            fields: change.fields.map { .init(field: $0.field, from: $0.from, to: $0.to) },
            reason: change.reason, source: .init(rawValue: change.source) ?? .api
        )
    }
}
