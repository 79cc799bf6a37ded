import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension SessionsHandler {
    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output {
        let query = input.query
        let limit = query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let bay = try query.bay.map { text throws(APIError) in try InputValidation.bayCode(text, city: configuration.city.code) }
        let filter = SessionFilter(
            bay: bay, zoneID: query.zone, status: query.status.map { SessionRow.Status(rawValue: $0.rawValue)! },
            from: query.from.map(\.milliseconds), until: query.until.map(\.milliseconds), needsPatrol: query.needsPatrol ?? false
        )
        let now = now
        let sessions = try await SessionQueries(database: try database)
            .list(filter, outage: configuration.ingest.fusion.outage, now: now, after: query.after, limit: limit)
        return .ok(.init(body: .json(.init(
            items: sessions.map { .init($0, outage: configuration.ingest.fusion.outage, now: now) },
            nextAfter: sessions.count == limit ? sessions.last?.row.id : nil
        ))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        let queries = SessionQueries(database: try database)
        guard let session = try await queries.session(input.path.sessionId) else { throw APIError.notFound(SessionErrorCode.sessionNotFound, input.path.sessionId) }
        let now = now
        let outage = configuration.ingest.fusion.outage
        let corrections = try await queries.corrections(sessionID: session.row.id).map { Components.Schemas.SessionCorrection($0, outage: outage, now: now) }
        return .ok(.init(body: .json(.init(value1: .init(session, outage: outage, now: now), value2: .init(corrections: corrections)))))
    }

    func listSessionCorrections(_ input: Operations.ListSessionCorrections.Input) async throws -> Operations.ListSessionCorrections.Output {
        let limit = input.query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let corrections = try await SessionQueries(database: try database).corrections(after: input.query.after.map(Int.init), limit: limit)
        let now = now
        return .ok(.init(body: .json(.init(
            items: corrections.map { .init($0, outage: configuration.ingest.fusion.outage, now: now) },
            nextAfter: corrections.count == limit ? corrections.last.map { Int64($0.id) } : nil
        ))))
    }

    func listDevices(_ input: Operations.ListDevices.Input) async throws -> Operations.ListDevices.Output {
        let database = try database
        let thresholds = DeviceThresholds(offlineAfter: configuration.ingest.deviceOfflineAfter, debounce: configuration.ingest.fusion.debounce)
        let devices = try await DeviceRegistry(store: store, database: database)
            .list(needsVisit: input.query.needsVisit ?? false, thresholds: thresholds, bindings: try await bindings.bindings(on: database), now: now)
        return .ok(.init(body: .json(.init(items: devices.map(Components.Schemas.Device.init)))))
    }

    func listDeviceStatusEvents(_ input: Operations.ListDeviceStatusEvents.Input) async throws -> Operations.ListDeviceStatusEvents.Output {
        let limit = input.query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let events = try await DeviceRegistry(store: store, database: try database).statusEvents(after: input.query.after.map(Int.init), limit: limit)
        return .ok(.init(body: .json(.init(
            items: events.map { .init(id: Int64($0.id), deviceId: $0.device_id, kind: .init(rawValue: $0.kind)!, at: Date(milliseconds: $0.at_ms)) },
            nextAfter: events.count == limit ? events.last.map { Int64($0.id) } : nil
        ))))
    }
}
