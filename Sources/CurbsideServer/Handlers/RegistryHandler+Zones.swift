import CurbsideAPI
import CurbsideCore
import CurbsideStore

extension RegistryHandler {
    func listZones(_ input: Operations.ListZones.Input) async throws -> Operations.ListZones.Output {
        let now = clock()
        return .ok(.init(body: .json(.init(items: try await registry.zones().map { .init($0, at: now) }))))
    }

    func createZone(_ input: Operations.CreateZone.Input) async throws -> Operations.CreateZone.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let record = try await registry.createZone(try body.spec(id: nil, cityTimeZone: configuration.city.timeZone.identifier), by: principal, at: clock())
        return .created(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(.init(record, at: clock()))))
    }

    func getZone(_ input: Operations.GetZone.Input) async throws -> Operations.GetZone.Output {
        let record = try await zoneRecord(input.path.zoneId)
        return .ok(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(.init(record, at: clock()))))
    }

    func updateZone(_ input: Operations.UpdateZone.Input) async throws -> Operations.UpdateZone.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let record = try await registry.updateZone(
            try body.spec(id: input.path.zoneId, cityTimeZone: configuration.city.timeZone.identifier), expectedRevision: try ETag.revision(input.headers.ifMatch), by: principal, at: clock()
        )
        return .ok(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(.init(record, at: clock()))))
    }

    func suspendZone(_ input: Operations.SuspendZone.Input) async throws -> Operations.SuspendZone.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        try await registry.suspend(.zone, id: input.path.zoneId, try body.suspension(now: clock()), by: principal, at: clock())
        return .ok(.init(body: .json(.init(try await zoneRecord(input.path.zoneId), at: clock()))))
    }

    func reinstateZone(_ input: Operations.ReinstateZone.Input) async throws -> Operations.ReinstateZone.Output {
        try await registry.reinstate(.zone, id: input.path.zoneId, by: principal, at: clock())
        return .ok(.init(body: .json(.init(try await zoneRecord(input.path.zoneId), at: clock()))))
    }

    func retireZone(_ input: Operations.RetireZone.Input) async throws -> Operations.RetireZone.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        try await registry.retire(.zone, id: input.path.zoneId, reason: body.reason, by: principal, at: clock())
        return .ok(.init(body: .json(.init(try await zoneRecord(input.path.zoneId), at: clock()))))
    }

    private func zoneRecord(_ id: String) async throws -> ZoneRecord {
        guard let record = try await registry.zone(id) else { throw APIError.notFound(RegistryErrorCode.zoneNotFound, id) }
        return record
    }
}
