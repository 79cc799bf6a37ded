import CurbsideCore
import FluentKit

extension Registry {
    /// The whole registry, which imports are planned against. A city has tens of
    /// thousands of bays at most, a few megabytes in memory.
    static func snapshot(on database: any Database) async throws -> RegistrySnapshot {
        var snapshot = RegistrySnapshot()
        for model in try await ZoneModel.query(on: database).all() {
            let record = try model.record()
            snapshot.zones[record.spec.id] = .init(spec: record.spec, lifecycle: record.lifecycle)
        }
        for model in try await RoadSegmentModel.query(on: database).all() {
            let record = try model.record()
            snapshot.segments[record.spec.id] = .init(spec: record.spec, lifecycle: record.lifecycle)
        }
        for model in try await BayModel.query(on: database).all() {
            let record = try model.record()
            snapshot.bays[record.spec.code] = .init(spec: record.spec, lifecycle: record.lifecycle)
        }
        return snapshot
    }

    static func tariffIDs(on database: any Database) async throws -> Set<String> {
        Set(try await TariffModel.query(on: database).all(\.$tariffID))
    }

    /// Plans a document against the stored registry inside the caller's transaction.
    static func plan(_ document: RegistryDocument, readIssues: [ImportIssue] = [], on database: any Database) async throws -> RegistryPlan {
        let snapshot = try await snapshot(on: database)
        let planner = RegistryPlanner(tariffIDs: try await tariffIDs(on: database))
        switch planner.plan(document, against: snapshot, readIssues: readIssues) {
        case let .success(plan):
            return plan
        case let .failure(rejection):
            throw RegistryError.rejected(rejection)
        }
    }
}
