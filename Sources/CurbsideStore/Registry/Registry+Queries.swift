import CurbsideCore
import FluentKit
import Foundation

/// Which bays a listing returns.
public struct BayFilter: Sendable {
    public var zoneID: String?
    public var segmentID: String?
    public var status: EffectiveStatus?
    public var kind: String?

    public init(zoneID: String? = nil, segmentID: String? = nil, status: EffectiveStatus? = nil, kind: String? = nil) {
        self.zoneID = zoneID
        self.segmentID = segmentID
        self.status = status
        self.kind = kind
    }
}

extension Registry {
    public func zones() async throws -> [ZoneRecord] {
        try await ZoneModel.query(on: database).sort(\.$id).all().map { try $0.record() }
    }

    public func zone(_ id: String) async throws -> ZoneRecord? {
        try await ZoneModel.find(id, on: database)?.record()
    }

    public func segments(zoneID: String? = nil) async throws -> [RoadSegmentRecord] {
        let query = RoadSegmentModel.query(on: database).sort(\.$id)
        if let zoneID { query.filter(\.$zoneID == zoneID) }
        return try await query.all().map { try $0.record() }
    }

    public func segment(_ id: String) async throws -> RoadSegmentRecord? {
        try await RoadSegmentModel.find(id, on: database)?.record()
    }

    public func bay(_ code: BayCode) async throws -> BayRecord? {
        try await BayModel.find(code.rawValue, on: database)?.record()
    }

    /// Which of the given codes are registered.
    public func registeredCodes(among codes: [BayCode]) async throws -> Set<BayCode> {
        guard !codes.isEmpty else { return [] }
        let found = try await BayModel.query(on: database).filter(\.$id ~~ codes.map(\.rawValue)).all(\.$id)
        return Set(found.compactMap { try? BayCode(parsing: $0) })
    }

    /// Bays in code order, a page at a time: pass the last code of a page as `after`.
    /// The status filter takes the zone into account: a bay in a suspended zone is suspended.
    public func bays(_ filter: BayFilter, after: BayCode? = nil, limit: Int, at now: Date = Date()) async throws -> [BayRecord] {
        let query = BayModel.query(on: database)
            .join(ZoneModel.self, on: \BayModel.$zoneID == \ZoneModel.$id)
            .sort(\.$id)
            .limit(limit)
        if let after { query.filter(\.$id > after.rawValue) }
        if let zoneID = filter.zoneID { query.filter(\.$zoneID == zoneID) }
        if let segmentID = filter.segmentID { query.filter(\.$segmentID == segmentID) }
        if let kind = filter.kind { query.filter(\.$kind == kind) }
        switch filter.status {
        case nil:
            break
        case .retired?:
            query.group(.or) {
                $0.filter(\BayModel.$lifecycle == Lifecycle.retired.rawValue)
                    .filter(ZoneModel.self, \ZoneModel.$lifecycle == Lifecycle.retired.rawValue)
            }
        case .active?:
            query.filter(\BayModel.$lifecycle == Lifecycle.active.rawValue)
                .filter(ZoneModel.self, \ZoneModel.$lifecycle == Lifecycle.active.rawValue)
                .group(.or) { Self.notSuspended(\BayModel.$suspendedFrom, \BayModel.$suspendedUntil, $0, now) }
                .group(.or) { Self.notSuspended(\ZoneModel.$suspendedFrom, \ZoneModel.$suspendedUntil, $0, now) }
        case .suspended?:
            query.filter(\BayModel.$lifecycle == Lifecycle.active.rawValue)
                .filter(ZoneModel.self, \ZoneModel.$lifecycle == Lifecycle.active.rawValue)
                .group(.or) { either in
                    either.group(.and) { Self.suspended(\BayModel.$suspendedFrom, \BayModel.$suspendedUntil, $0, now) }
                    either.group(.and) { Self.suspended(\ZoneModel.$suspendedFrom, \ZoneModel.$suspendedUntil, $0, now) }
                }
        }
        return try await query.all().map { try $0.record() }
    }

    private static func notSuspended<M: Model>(
        _ from: KeyPath<M, OptionalFieldProperty<M, Date>>, _ until: KeyPath<M, OptionalFieldProperty<M, Date>>,
        _ group: QueryBuilder<BayModel>, _ now: Date
    ) {
        group.filter(M.self, from == nil)
            .filter(M.self, from > now)
            .group(.and) { $0.filter(M.self, until != nil).filter(M.self, until <= now) }
    }

    private static func suspended<M: Model>(
        _ from: KeyPath<M, OptionalFieldProperty<M, Date>>, _ until: KeyPath<M, OptionalFieldProperty<M, Date>>,
        _ group: QueryBuilder<BayModel>, _ now: Date
    ) {
        group.filter(M.self, from <= now)
            .group(.or) { $0.filter(M.self, until == nil).filter(M.self, until > now) }
    }
}
