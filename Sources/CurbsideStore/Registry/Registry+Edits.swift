import CurbsideCore
import FluentKit
import Foundation

extension Registry {
    public func createZone(_ spec: ZoneSpec, by actor: Principal, at now: Date = Date()) async throws -> ZoneRecord {
        try await create(.zone, id: spec.id, model: ZoneModel.self, by: actor, at: now) { $0.zones = [.init(index: 0, spec: spec, lifecycle: nil)] }
    }

    public func updateZone(_ spec: ZoneSpec, expectedRevision: Int?, by actor: Principal, at now: Date = Date()) async throws -> ZoneRecord {
        try await update(.zone, id: spec.id, model: ZoneModel.self, expectedRevision: expectedRevision, by: actor, at: now) {
            $0.zones = [.init(index: 0, spec: spec, lifecycle: nil)]
        }
    }

    public func createSegment(_ spec: RoadSegmentSpec, by actor: Principal, at now: Date = Date()) async throws -> RoadSegmentRecord {
        try await create(.segment, id: spec.id, model: RoadSegmentModel.self, by: actor, at: now) { $0.segments = [.init(index: 0, spec: spec, lifecycle: nil)] }
    }

    public func updateSegment(_ spec: RoadSegmentSpec, expectedRevision: Int?, by actor: Principal, at now: Date = Date()) async throws -> RoadSegmentRecord {
        try await update(.segment, id: spec.id, model: RoadSegmentModel.self, expectedRevision: expectedRevision, by: actor, at: now) {
            $0.segments = [.init(index: 0, spec: spec, lifecycle: nil)]
        }
    }

    public func createBay(_ spec: BaySpec, by actor: Principal, at now: Date = Date()) async throws -> BayRecord {
        try await create(.bay, id: spec.code.rawValue, model: BayModel.self, by: actor, at: now) { $0.bays = [.init(index: 0, spec: spec, lifecycle: nil)] }
    }

    public func updateBay(_ spec: BaySpec, expectedRevision: Int?, by actor: Principal, at now: Date = Date()) async throws -> BayRecord {
        try await update(.bay, id: spec.code.rawValue, model: BayModel.self, expectedRevision: expectedRevision, by: actor, at: now) {
            $0.bays = [.init(index: 0, spec: spec, lifecycle: nil)]
        }
    }

    /// The next unused code on a segment. Segments with a numeric id of up to
    /// five digits number their bays after it (segment 1001 has 1001001, 1001002 ...);
    /// others draw from one city-wide sequence of seven-digit bodies.
    public func nextFreeCode(onSegment segmentID: String) async throws -> BayCode {
        let prefix = segmentID.count <= 5 && segmentID.allSatisfy { $0.isASCII && $0.isNumber } ? segmentID : ""
        let width = 7 - prefix.count
        let used = try await BayModel.query(on: database).filter(\.$id >= prefix).all(\.$id)
            .filter { $0.hasPrefix(prefix) && $0.count == 8 }
            .compactMap { Int($0.dropFirst(prefix.count).dropLast()) }
        let next = (used.max() ?? (prefix.isEmpty ? 1_000_000 - 1 : 0)) + 1
        let digits = String(next)
        guard digits.count <= width else { throw RegistryError.codesExhausted(segmentID) }
        return try BayCode(body: prefix + String(repeating: "0", count: width - digits.count) + digits)
    }

    private func create<M: Revisioned & Model>(
        _ entity: RegistryPlan.Entity, id: String, model: M.Type, by actor: Principal, at now: Date,
        _ fill: @escaping @Sendable (inout RegistryDocument) -> Void
    ) async throws -> RegistryRecord<M.SpecType> where M: RecordConvertible, M.IDValue == String {
        try await store.write(on: database) { db in
            guard try await M.find(id, on: db) == nil else { throw RegistryError.alreadyExists(entity, id) }
            var document = RegistryDocument()
            fill(&document)
            try await Self.apply(try await Self.plan(document, on: db), by: actor, source: .api, at: now, on: db)
            return try await M.find(id, on: db)!.record()
        }
    }

    private func update<M: Revisioned & Model>(
        _ entity: RegistryPlan.Entity, id: String, model: M.Type, expectedRevision: Int?, by actor: Principal, at now: Date,
        _ fill: @escaping @Sendable (inout RegistryDocument) -> Void
    ) async throws -> RegistryRecord<M.SpecType> where M: RecordConvertible, M.IDValue == String {
        try await store.write(on: database) { db in
            guard let stored = try await M.find(id, on: db) else { throw RegistryError.notFound(entity, id) }
            let record = try stored.record()
            if let expectedRevision, expectedRevision != record.revision {
                throw RegistryError.revisionMismatch(expected: expectedRevision, actual: record.revision)
            }
            guard record.lifecycle == .active else { throw RegistryError.retired(entity, id) }
            var document = RegistryDocument()
            fill(&document)
            try await Self.apply(try await Self.plan(document, on: db), by: actor, source: .api, at: now, on: db)
            return try await M.find(id, on: db)!.record()
        }
    }
}

/// A stored row that reads back as a registry record.
protocol RecordConvertible {
    associatedtype SpecType: Sendable
    func record() throws -> RegistryRecord<SpecType>
}

extension ZoneModel: RecordConvertible {}
extension RoadSegmentModel: RecordConvertible {}
extension BayModel: RecordConvertible {}
