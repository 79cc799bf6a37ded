import CurbsideCore
import FluentKit
import Foundation

/// What an import did (or, for a dry run, would do).
public struct ImportSummary: Sendable, Codable, Equatable {
    public struct Counts: Sendable, Codable, Equatable {
        public var created = 0
        public var updated = 0
        public var retired = 0

        public init(created: Int = 0, updated: Int = 0, retired: Int = 0) {
            self.created = created
            self.updated = updated
            self.retired = retired
        }
    }

    public var dryRun: Bool
    public var zones = Counts()
    public var segments = Counts()
    public var bays = Counts()
    public var unchanged = 0

    init(plan: RegistryPlan, dryRun: Bool) {
        self.dryRun = dryRun
        func counts(_ entity: RegistryPlan.Entity) -> Counts {
            Counts(created: plan.count(entity, .created), updated: plan.count(entity, .updated), retired: plan.count(entity, .retired))
        }
        zones = counts(.zone)
        segments = counts(.segment)
        bays = counts(.bay)
        unchanged = plan.unchanged
    }

    public var changed: Int {
        [zones, segments, bays].reduce(0) { $0 + $1.created + $1.updated + $1.retired }
    }
}

extension Registry {
    /// Applies a whole document or nothing: every problem is reported at once,
    /// and importing the same document again changes nothing.
    public func importDocument(
        _ document: RegistryDocument, readIssues: [ImportIssue] = [], by actor: Principal, source: ChangeSource = .import,
        dryRun: Bool = false, at now: Date = Date()
    ) async throws -> ImportSummary {
        try await store.write(on: database) { db in
            let plan = try await Self.plan(document, readIssues: readIssues, on: db)
            if !dryRun {
                try await Self.apply(plan, by: actor, source: source, at: now, on: db)
            }
            return ImportSummary(plan: plan, dryRun: dryRun)
        }
    }

    /// Reads and imports GeoJSON; problems in the file itself are reported the same way as planning problems.
    /// Zones without a time zone get the city's.
    public func importGeoJSON(
        _ data: Data, cityTimeZone: String, by actor: Principal, source: ChangeSource = .import, dryRun: Bool = false, at now: Date = Date()
    ) async throws -> ImportSummary {
        let (document, issues) = RegistryGeoJSON.read(data, cityTimeZone: cityTimeZone)
        if let fileProblem = issues.first(where: { $0.index == nil }) {
            throw RegistryError.rejected(ImportRejection(issues: [fileProblem]))
        }
        guard !document.isEmpty || !issues.isEmpty else {
            throw RegistryError.rejected(ImportRejection(issues: [ImportIssue(index: nil, code: "empty_import", message: "The file has no zone, segment or bay features.")]))
        }
        return try await importDocument(document, readIssues: issues, by: actor, source: source, dryRun: dryRun, at: now)
    }
}
