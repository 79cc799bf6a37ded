import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// Rebuilds every session from the stored events, from the beginning, and
/// compares the result with the stored sessions. Fusion is a pure fold, so
/// none may differ; a difference is a bug to report, never to paper over.
public struct Replay: Sendable {
    public struct Difference: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// Rebuilt but not stored.
            case missing
            /// Stored but not rebuilt.
            case unexpected
            /// Stored and rebuilt, but not the same.
            case changed
        }

        public var kind: Kind
        public var stored: SessionRow?
        public var rebuilt: SessionRow?
    }

    public struct Report: Sendable {
        public var bays = 0
        public var events = 0
        public var sessions = 0
        public var differences: [Difference] = []
    }

    public let database: any Database
    public let fold: SessionFold

    public init(database: any Database, rules: FusionRules = FusionRules()) {
        self.database = database
        fold = SessionFold(rules: rules)
    }

    /// Replays one bay or all; `progress` is called with bays done and bays in all.
    public func run(bay only: BayCode? = nil, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        let sql = database.sql
        struct Bay: Decodable { var bay_code: String }
        let bays: [String]
        if let only {
            bays = [only.rawValue]
        } else {
            bays = try await sql.raw("""
                SELECT bay_code FROM device_events WHERE bay_code IS NOT NULL UNION SELECT bay_code FROM parking_sessions ORDER BY bay_code
                """).all(decoding: Bay.self).map(\.bay_code)
        }
        var report = Report()
        for (index, bay) in bays.enumerated() {
            guard let code = try? BayCode(parsing: bay) else { continue }
            let events = try await EventColumns.all(sql.raw("SELECT \(unsafeRaw: EventColumns.list) FROM device_events e WHERE e.bay_code = \(bind: bay)"))
                .compactMap(\.eventRow)
            let zone = events.first?.zoneID ?? ""
            let neighbours = try await NeighbourReads.load(from: [bay: .min], through: .max, on: sql)[bay] ?? []
            let rebuilt = fold.fold(events.compactMap(\.deviceEvent), bay: code, neighbours: neighbours).sessions.map { SessionRow($0, zoneID: zone) }
            let stored = try await sql.raw("SELECT \(unsafeRaw: SessionColumns.list) FROM parking_sessions WHERE bay_code = \(bind: bay) AND status <> 'void'")
                .all(decoding: SessionColumns.self).map(\.stored.row)
            let storedByID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) })
            let rebuiltByID = Dictionary(uniqueKeysWithValues: rebuilt.map { ($0.id, $0) })
            for row in rebuilt {
                if let old = storedByID[row.id] {
                    if old != row { report.differences.append(Difference(kind: .changed, stored: old, rebuilt: row)) }
                } else {
                    report.differences.append(Difference(kind: .missing, stored: nil, rebuilt: row))
                }
            }
            for row in stored where rebuiltByID[row.id] == nil {
                report.differences.append(Difference(kind: .unexpected, stored: row, rebuilt: nil))
            }
            report.bays += 1
            report.events += events.count
            report.sessions += rebuilt.count
            progress(index + 1, bays.count)
        }
        return report
    }
}
