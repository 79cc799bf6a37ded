import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation
import Metrics
import OpenAPIRuntime

extension IngestHandler {
    func ingestEvents(_ input: Operations.IngestEvents.Input) async throws -> Operations.IngestEvents.Output {
        guard case let .json(batch) = input.body else { throw APIError.unsupportedBody }
        // Events the contract refused are out of the batch already; positions are as sent.
        let shape = RequestContext.itemRefusals
        let database = try database
        let now = now
        let validation = EventValidation(gateway: try principal.subject, city: configuration.city.code, bindings: try await bindings.bindings(on: database), now: now)
        var rows: [EventRow] = []
        var positions: [Int] = []
        var rejected = shape?.refused ?? []
        rows.reserveCapacity(batch.events.count)
        for (index, event) in batch.events.enumerated() {
            let position = shape?.original(index) ?? index
            switch validation.validate(event, index: position) {
            case let .accepted(row):
                rows.append(row)
                positions.append(position)
            case let .refused(issue): rejected.append(issue)
            }
        }
        let unbound = Set(batch.events.filter { validation.bindings.devices[$0.deviceId] == nil && RegistryID.isValid($0.deviceId) }.map(\.deviceId))
        if !unbound.isEmpty {
            try await DeviceRegistry(store: store, database: database).recordUnbound(unbound, gateway: validation.gateway, at: now)
        }
        let outcome = try await Ingestion(store: store, database: database).ingest(rows, at: now)
        rejected += outcome.conflicts.map {
            ImportIssue(
                index: positions[$0], id: rows[$0].eventID, code: "event_id_conflict",
                message: "Device \(rows[$0].deviceID) sent event \(rows[$0].eventID) before with other content (a counter reset?): refused, and kept for audit."
            )
        }
        if outcome.accepted > 0 { await jobs.doorbell.ring() }
        Counter(label: "curbside_events_accepted_total").increment(by: outcome.accepted)
        Counter(label: "curbside_events_duplicate_total").increment(by: outcome.duplicates)
        Counter(label: "curbside_events_rejected_total").increment(by: rejected.count)
        Counter(label: "curbside_events_conflicting_total").increment(by: outcome.conflicts.count)
        return .ok(.init(body: .json(.init(
            accepted: outcome.accepted, duplicates: outcome.duplicates,
            rejected: rejected.sorted { ($0.index ?? 0) < ($1.index ?? 0) }.map {
                .init(index: $0.index, id: $0.id, code: $0.code, message: $0.message, field: $0.field)
            },
            missingImages: outcome.missingImages
        ))))
    }

    func uploadEvidenceImage(_ input: Operations.UploadEvidenceImage.Input) async throws -> Operations.UploadEvidenceImage.Output {
        let body: HTTPBody = switch input.body {
        case let .jpeg(body): body
        case let .png(body): body
        }
        let bytes = try await [UInt8](collecting: body, upTo: configuration.limits.image)
        let images = Evidence(store: store, database: try database, objects: evidence)
        let created: Bool
        do {
            created = try await images.upload(bytes, sha256: input.path.sha256, at: now)
        } catch let error as EvidenceError {
            switch error {
            case .badDigest: throw APIError.invalid(IngestErrorCode.invalidImageDigest, "The digest must be 64 lower-case hex characters.")
            case let .digestMismatch(actual):
                throw APIError.invalid(IngestErrorCode.imageDigestMismatch, "The bytes hash to \(actual), not \(input.path.sha256): the image is corrupted or was altered.")
            case .notAnImage: throw APIError.invalid(IngestErrorCode.notAnImage, "Evidence must be a JPEG or PNG image.")
            }
        }
        let receipt = Components.Schemas.ImageReceipt(sha256: input.path.sha256, bytes: bytes.count, contentType: Evidence.contentType(bytes)!)
        return created ? .created(.init(body: .json(receipt))) : .ok(.init(body: .json(receipt)))
    }

    func getEvidenceImage(_ input: Operations.GetEvidenceImage.Input) async throws -> Operations.GetEvidenceImage.Output {
        guard let image = try await Evidence(store: store, database: try database, objects: evidence).image(sha256: input.path.sha256) else {
            throw APIError.notFound(IngestErrorCode.imageNotFound, input.path.sha256)
        }
        let body = HTTPBody(image.bytes)
        return .ok(.init(body: image.contentType == "image/png" ? .png(body) : .jpeg(body)))
    }

    func listGateways(_ input: Operations.ListGateways.Input) async throws -> Operations.ListGateways.Output {
        let gateways = try await Gateways(store: store, database: try database).list()
        return .ok(.init(body: .json(.init(items: gateways.map {
            .init(id: $0.id, name: $0.name, createdAt: Date(milliseconds: $0.createdAt))
        }))))
    }

    func createGateway(_ input: Operations.CreateGateway.Input) async throws -> Operations.CreateGateway.Output {
        guard case let .json(body) = input.body else { throw APIError.unsupportedBody }
        let id = try InputValidation.identifier(body.id, field: "id")
        let name = try InputValidation.text(body.name, field: "name")
        do {
            let secret = try await Gateways(store: store, database: try database).create(id: id, name: name, at: now)
            return .created(.init(body: .json(.init(id: id, name: name, secret: secret))))
        } catch GatewayError.exists {
            throw APIError(.conflict, IngestErrorCode.gatewayExists, "Gateway \(id) already exists.")
        }
    }
}
