import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension RegistryHandler {
    func listBays(_ input: Operations.ListBays.Input) async throws -> Operations.ListBays.Output {
        let query = input.query
        let limit = query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let after = try query.after.map { text throws(APIError) in try InputValidation.bayCode(text, city: configuration.city.code) }
        let filter = BayFilter(
            zoneID: query.zone, segmentID: query.segment,
            status: query.status.map { EffectiveStatus(rawValue: $0.rawValue)! }, kind: query.kind?.rawValue
        )
        let now = clock()
        let registry = try registry
        let records = try await registry.bays(filter, after: after, limit: limit, at: now)
        let zoneStatus = try await zoneStatuses(registry, at: now)
        let items = records.map { Components.Schemas.Bay($0, zoneStatus: zoneStatus[$0.zoneID] ?? .active, city: configuration.city.code, at: now) }
        return .ok(.init(body: .json(.init(items: items, nextAfter: records.count == limit ? records.last?.spec.code.rawValue : nil))))
    }

    func createBay(_ input: Operations.CreateBay.Input) async throws -> Operations.CreateBay.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let registry = try registry
        let code = if let text = body.code {
            try InputValidation.bayCode(text, city: configuration.city.code)
        } else {
            try await registry.nextFreeCode(onSegment: InputValidation.identifier(body.segmentId, field: "segment_id"))
        }
        let record = try await registry.createBay(try body.spec(code: code), by: principal, at: clock())
        return .created(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(try await bay(record, in: registry))))
    }

    func getBay(_ input: Operations.GetBay.Input) async throws -> Operations.GetBay.Output {
        let registry = try registry
        let record = try await bayRecord(input.path.code, in: registry)
        return .ok(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(try await bay(record, in: registry))))
    }

    func updateBay(_ input: Operations.UpdateBay.Input) async throws -> Operations.UpdateBay.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let registry = try registry
        let code = try InputValidation.bayCode(input.path.code, city: configuration.city.code)
        if let bodyCode = body.code, try InputValidation.bayCode(bodyCode, city: configuration.city.code) != code {
            throw APIError.invalid(RequestErrorCode.idMismatch, "code '\(bodyCode)' differs from '\(code)' in the path; codes cannot be changed.")
        }
        let record = try await registry.updateBay(
            try body.spec(code: code), expectedRevision: try ETag.revision(input.headers.ifMatch), by: principal, at: clock()
        )
        return .ok(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(try await bay(record, in: registry))))
    }

    func suspendBay(_ input: Operations.SuspendBay.Input) async throws -> Operations.SuspendBay.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let registry = try registry
        let code = try InputValidation.bayCode(input.path.code, city: configuration.city.code)
        try await registry.suspend(.bay, id: code.rawValue, try body.suspension(now: clock()), by: principal, at: clock())
        return .ok(.init(body: .json(try await bay(try await bayRecord(code.rawValue, in: registry), in: registry))))
    }

    func reinstateBay(_ input: Operations.ReinstateBay.Input) async throws -> Operations.ReinstateBay.Output {
        let registry = try registry
        let code = try InputValidation.bayCode(input.path.code, city: configuration.city.code)
        try await registry.reinstate(.bay, id: code.rawValue, by: principal, at: clock())
        return .ok(.init(body: .json(try await bay(try await bayRecord(code.rawValue, in: registry), in: registry))))
    }

    func retireBay(_ input: Operations.RetireBay.Input) async throws -> Operations.RetireBay.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let registry = try registry
        let code = try InputValidation.bayCode(input.path.code, city: configuration.city.code)
        try await registry.retire(.bay, id: code.rawValue, reason: body.reason, by: principal, at: clock())
        return .ok(.init(body: .json(try await bay(try await bayRecord(code.rawValue, in: registry), in: registry))))
    }

    private func bayRecord(_ text: String, in registry: Registry) async throws -> BayRecord {
        let code = try await resolveBayCode(text, in: registry)
        guard let record = try await registry.bay(code) else { throw APIError.notFound(RegistryErrorCode.bayNotFound, code.rawValue) }
        return record
    }

    private func bay(_ record: BayRecord, in registry: Registry) async throws -> Components.Schemas.Bay {
        let now = clock()
        let zoneStatus = try await registry.zone(record.zoneID)?.status(at: now) ?? .active
        return Components.Schemas.Bay(record, zoneStatus: zoneStatus, city: configuration.city.code, at: now)
    }

    private func zoneStatuses(_ registry: Registry, at now: Date) async throws -> [String: EffectiveStatus] {
        Dictionary(uniqueKeysWithValues: try await registry.zones().map { ($0.spec.id, $0.status(at: now)) })
    }
}
