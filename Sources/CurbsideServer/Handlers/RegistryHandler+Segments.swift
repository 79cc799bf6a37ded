import CurbsideAPI
import CurbsideCore
import CurbsideStore

extension RegistryHandler {
    func listSegments(_ input: Operations.ListSegments.Input) async throws -> Operations.ListSegments.Output {
        .ok(.init(body: .json(.init(items: try await registry.segments(zoneID: input.query.zone).map(Components.Schemas.RoadSegment.init)))))
    }

    func createSegment(_ input: Operations.CreateSegment.Input) async throws -> Operations.CreateSegment.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let record = try await registry.createSegment(try body.spec(id: nil), by: principal, at: clock())
        return .created(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(.init(record))))
    }

    func getSegment(_ input: Operations.GetSegment.Input) async throws -> Operations.GetSegment.Output {
        let record = try await segmentRecord(input.path.segmentId)
        return .ok(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(.init(record))))
    }

    func updateSegment(_ input: Operations.UpdateSegment.Input) async throws -> Operations.UpdateSegment.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let record = try await registry.updateSegment(
            try body.spec(id: input.path.segmentId), expectedRevision: try ETag.revision(input.headers.ifMatch), by: principal, at: clock()
        )
        return .ok(.init(headers: .init(eTag: ETag.make(record.revision)), body: .json(.init(record))))
    }

    func retireSegment(_ input: Operations.RetireSegment.Input) async throws -> Operations.RetireSegment.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        try await registry.retire(.segment, id: input.path.segmentId, reason: body.reason, by: principal, at: clock())
        return .ok(.init(body: .json(.init(try await segmentRecord(input.path.segmentId)))))
    }

    private func segmentRecord(_ id: String) async throws -> RoadSegmentRecord {
        guard let record = try await registry.segment(id) else { throw APIError.notFound(RegistryErrorCode.segmentNotFound, id) }
        return record
    }
}
