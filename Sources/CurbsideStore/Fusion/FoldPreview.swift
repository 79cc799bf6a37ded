import CurbsideCore
import FluentKit
import SQLKit

/// A bay's sessions as the fold makes them of its stored events, computed on
/// the spot and written nowhere. The background round writes the same sessions
/// later (the fold is deterministic); a handheld needs the answer now.
public struct FoldPreview: Sendable {
    public let database: any Database
    public let fold: SessionFold

    public init(database: any Database, rules: FusionRules) {
        self.database = database
        fold = SessionFold(rules: rules)
    }

    /// The bay's sessions from a saved fold state at or before `at` on.
    public func sessions(bay: BayCode, at: Int64) async throws -> [ParkingSession] {
        let (start, events, neighbours) = try await load(bay: bay, at: at)
        return fold.fold(events, bay: bay, neighbours: neighbours, from: start).sessions
    }

    /// The bay's sessions from a saved fold state at or before `at` on, folded
    /// without the event `key` and with it.
    public func around(bay: BayCode, at: Int64, key: String) async throws -> (without: [ParkingSession], with: [ParkingSession]) {
        let (start, events, neighbours) = try await load(bay: bay, at: at)
        return (
            fold.fold(events.filter { $0.key != key }, bay: bay, neighbours: neighbours, from: start).sessions,
            fold.fold(events, bay: bay, neighbours: neighbours, from: start).sessions
        )
    }

    /// The newest saved state at or before `at` (the tail, or a spaced checkpoint), every stored event
    /// from it on, and the neighbouring bays' camera events from it on.
    func load(bay: BayCode, at: Int64) async throws -> (SessionFold.Checkpoint?, [DeviceEvent], [DeviceEvent]) {
        let sql = database.sql
        var start: SessionFold.Checkpoint?
        if let tail = try await FusionProcessor.tails(of: [bay.rawValue], on: sql)[bay.rawValue], tail.checkpoint.at <= at {
            start = tail.checkpoint
        } else {
            start = try await FusionProcessor.checkpoints(before: [bay.rawValue: at], on: sql)[bay.rawValue]
        }
        let from = [bay.rawValue: start?.at ?? .min]
        let rows = try await FusionProcessor.events(from: from, through: .max, on: sql)[bay.rawValue] ?? []
        return (start, rows.compactMap(\.deviceEvent), try await NeighbourReads.load(from: from, through: .max, on: sql)[bay.rawValue] ?? [])
    }
}
