import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation
import OpenAPIRuntime

extension EnforcementHandler {
    /// A stream ends after this long; the handheld reconnects with Last-Event-ID.
    static let alertStreamLifetime: Duration = .seconds(300)
    /// A quiet stream writes a comment this often: mobile networks keep the connection, and a
    /// handheld that went away is noticed (the write fails) and its place among the officer's streams freed.
    static let alertHeartbeat: Duration = .seconds(5)

    var alertStore: Alerts {
        get throws { Alerts(store: store, database: try database, threshold: configuration.patrol.alertArrearsFen) }
    }

    func listMyAlerts(_ input: Operations.ListMyAlerts.Input) async throws -> Operations.ListMyAlerts.Output {
        let shift = try await myShift()
        let alerts = try await alertStore.alerts(beat: shift.beatID, after: Int(input.query.after ?? 0))
        return .ok(.init(body: .json(.init(items: alerts.map(Components.Schemas.Alert.init)))))
    }

    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        let alerts = try await alertStore.alerts(after: Int(input.query.after ?? 0))
        return .ok(.init(body: .json(.init(items: alerts.map(Components.Schemas.Alert.init)))))
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output {
        let shift = try await myShift()
        guard try await alertStore.acknowledge(Int(input.path.alertId), beat: shift.beatID, by: try principal, now: now) else {
            throw APIError.notFound(EnforcementErrorCode.alertNotFound, String(input.path.alertId))
        }
        return .noContent(.init())
    }

    /// Server-sent events: new alerts on the shift's beat as they are raised, checked every second.
    func streamMyAlerts(_ input: Operations.StreamMyAlerts.Input) async throws -> Operations.StreamMyAlerts.Output {
        let shift = try await myShift()
        let officer = try principal.subject
        let alerts = Alerts(store: store, database: try RequestContext.current.application.db, threshold: configuration.patrol.alertArrearsFen)
        let limit = guards.settings.alertStreamsPerOfficer
        // Each stream holds a connection and polls the database: an officer has a handheld or two, not hundreds.
        guard guards.streams.acquire(officer, limit: limit) else {
            throw APIError.tooMany(
                EnforcementErrorCode.tooManyStreams, "You hold \(limit) alert streams open on this server already; close one first (a closed one is let go within seconds).",
                retryAfter: 10
            )
        }
        let streams = guards.streams
        let resumeAfter = input.headers.lastEventID.flatMap(Int.init) ?? 0
        let (stream, continuation) = AsyncThrowingStream<ArraySlice<UInt8>, any Error>.makeStream()
        let task = Task {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = .sortedKeys
            let ends = ContinuousClock.now + Self.alertStreamLifetime
            var last = resumeAfter
            var quietSince = ContinuousClock.now
            continuation.yield(ArraySlice(": alerts for beat \(shift.beatID)\n\n".utf8))
            do {
                while !Task.isCancelled && ContinuousClock.now < ends {
                    for alert in try await alerts.alerts(beat: shift.beatID, after: last) {
                        let data = String(decoding: try encoder.encode(Components.Schemas.Alert(alert)), as: UTF8.self)
                        continuation.yield(ArraySlice("id: \(alert.id)\nevent: alert\ndata: \(data)\n\n".utf8))
                        last = alert.id
                        quietSince = ContinuousClock.now
                    }
                    if ContinuousClock.now - quietSince >= Self.alertHeartbeat {
                        continuation.yield(ArraySlice(": still here\n\n".utf8))
                        quietSince = ContinuousClock.now
                    }
                    try await Task.sleep(for: .seconds(1))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            task.cancel()
            streams.release(officer)
        }
        return .ok(.init(body: .textEventStream(HTTPBody(stream, length: .unknown, iterationBehavior: .single))))
    }
}

extension Components.Schemas.Alert {
    init(_ alert: CurbsideStore.Alert) {
        self.init(
            id: Int64(alert.id), sessionId: alert.sessionID, beatId: alert.beatID, bay: alert.bay, plate: alert.plate, plateColour: alert.plateColour,
            arrearsFen: alert.arrearsFen, createdAt: Date(milliseconds: alert.createdAt), acknowledgedBy: alert.acknowledgedBy,
            acknowledgedAt: alert.acknowledgedAt.map(Date.init(milliseconds:))
        )
    }
}
