import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension PatrolHandler {
    func listBeats(_ input: Operations.ListBeats.Input) async throws -> Operations.ListBeats.Output {
        let beats = try await Beats(store: store, database: try database).beats()
        return .ok(.init(body: .json(.init(items: beats.map { .init(id: $0.id, name: $0.name, segments: $0.segments) }))))
    }

    func createBeat(_ input: Operations.CreateBeat.Input) async throws -> Operations.CreateBeat.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let beat = Beats.Beat(
            id: try InputValidation.identifier(request.id, field: "id"), name: try InputValidation.text(request.name, field: "name"), segments: request.segments
        )
        try await Beats(store: store, database: try database).create(beat, by: try principal, now: now)
        return .created(.init(body: .json(request)))
    }

    func listBeatBaysAsSupervisor(_ input: Operations.ListBeatBaysAsSupervisor.Input) async throws -> Operations.ListBeatBaysAsSupervisor.Output {
        guard try await Beats(store: store, database: try database).beat(input.path.beatId) != nil else { throw APIError.notFound(PatrolErrorCode.beatNotFound, input.path.beatId) }
        let bays = try await beatList(input.path.beatId)
        return .ok(.init(body: .json(.init(beatId: input.path.beatId, items: bays.map(Components.Schemas.BeatBay.init)))))
    }

    func openShift(_ input: Operations.OpenShift.Input) async throws -> Operations.OpenShift.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let shift = try await Shifts(store: store, database: try database).open(beat: request.beatId, by: try principal, now: now)
        return .created(.init(body: .json(.init(shift))))
    }

    func getMyShift(_ input: Operations.GetMyShift.Input) async throws -> Operations.GetMyShift.Output {
        .ok(.init(body: .json(.init(try await myShift()))))
    }

    func closeMyShift(_ input: Operations.CloseMyShift.Input) async throws -> Operations.CloseMyShift.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let shift = try await Shifts(store: store, database: try database).close(declaredCashFen: request.cashCountedFen, by: try principal, now: now)
        return .ok(.init(body: .json(.init(shift))))
    }

    func listMyBeat(_ input: Operations.ListMyBeat.Input) async throws -> Operations.ListMyBeat.Output {
        let shift = try await myShift()
        let bays = try await beatList(shift.beatID)
        return .ok(.init(body: .json(.init(beatId: shift.beatID, shiftId: shift.id, items: bays.map(Components.Schemas.BeatBay.init)))))
    }

    func inspectBay(_ input: Operations.InspectBay.Input) async throws -> Operations.InspectBay.Output {
        let shift = try await myShift()
        let code = try InputValidation.bayCode(input.path.code, city: configuration.city.code)
        guard let bay = try await beatBays.list(beat: shift.beatID, bay: code.rawValue, now: now).first else { throw PatrolError.offBeat(code.rawValue) }
        let database = try database
        var session: StoredSession?
        if let id = bay.sessionID { session = try await SessionQueries(database: database).session(id) }
        var bills: [StoredBill] = []
        var permits: [Permit] = []
        if let plate = bay.plate {
            bills = try await Bills(store: store, database: database).bills(plate: plate, colour: PlateColour(rawValue: bay.plateColour ?? "") ?? .unknown)
            permits = try await Permits(store: store, database: database).list(plate: plate)
        }
        let outage = configuration.ingest.fusion.outage
        return .ok(.init(body: .json(.init(
            bay: .init(bay), session: session.map { .init($0, outage: outage, now: now) }, arrearsFen: bills.reduce(0) { $0 + $1.outstandingFen },
            unpaidBills: bills.map { .init($0, masked: false, clock: clock(of: $0)) }, permits: permits.map(Components.Schemas.Permit.init)
        ))))
    }

    /// Confined to the shift's beat: a plate is inspected only where its car is
    /// parked on the beat now, so an officer cannot follow a car around the city.
    /// Every inspection is audited with the reason given, found or not.
    func inspectPlate(_ input: Operations.InspectPlate.Input) async throws -> Operations.InspectPlate.Output {
        let shift = try await myShift()
        let plate = try InputValidation.plate(input.path.plate)
        let colour = input.query.colour.domain
        let database = try database
        let beats = Beats(store: store, database: database)
        var parked: [StoredSession] = []
        for session in try await SessionQueries(database: database).open(plate: plate, colour: colour.rawValue) where try await beats.contains(beat: shift.beatID, bay: session.row.bay) {
            parked.append(session)
        }
        try await auditPlateLookup(plate, colour: colour, reason: input.query.reason, operation: "inspectPlate", detail: [
            "beat": shift.beatID, "shift": shift.id, "parked_on_beat": parked.map(\.row.bay).joined(separator: ","),
        ])
        guard !parked.isEmpty else {
            throw APIError(.notFound, PatrolErrorCode.plateNotOnBeat, "No car with plate \(plate) is parked on beat \(shift.beatID) now; patrol inspects the cars on its beat.")
        }
        let bills = try await Bills(store: store, database: database).bills(plate: plate, colour: colour)
        let permits = try await Permits(store: store, database: database).list(plate: plate)
        let outage = configuration.ingest.fusion.outage
        return .ok(.init(body: .json(.init(
            plate: plate, plateColour: input.query.colour, arrearsFen: bills.reduce(0) { $0 + $1.outstandingFen },
            unpaidBills: bills.map { .init($0, masked: false, clock: clock(of: $0)) }, permits: permits.map(Components.Schemas.Permit.init),
            parked: parked.map { .init($0, outage: outage, now: now) }
        ))))
    }

    var beatBays: BeatBays {
        get throws { BeatBays(database: try database, overstayAfter: configuration.patrol.overstayAfter) }
    }

    /// A beat's bay list, shared between requests for up to the configured age.
    func beatList(_ beat: String) async throws -> [CurbsideStore.BeatBay] {
        let (bays, now) = (try beatBays, now)
        guard configuration.patrol.beatListMaxAge > 0 else { return try await bays.list(beat: beat, now: now) }
        return try await beatLists.list(beat: beat) { try await bays.list(beat: beat, now: now) }
    }

}

extension Components.Schemas.BeatBay {
    init(_ bay: CurbsideStore.BeatBay) {
        self.init(
            code: bay.code, segmentId: bay.segmentID, order: bay.order, state: .init(rawValue: bay.state.rawValue)!, sessionId: bay.sessionID,
            since: bay.since.map(Date.init(milliseconds:)), plate: bay.plate, plateColour: bay.plateColour, arrearsFen: bay.arrearsFen
        )
    }
}

extension Components.Schemas.Shift {
    init(_ shift: CurbsideStore.Shift) {
        self.init(
            id: shift.id, staffId: shift.staffID, beatId: shift.beatID, startedAt: Date(milliseconds: shift.startedAt), endedAt: shift.endedAt.map(Date.init(milliseconds:)),
            cashCountedFen: shift.declaredCashFen, cashInLedgerFen: shift.ledgerCashFen,
            cashDifferenceFen: shift.declaredCashFen.flatMap { counted in shift.ledgerCashFen.map { counted - $0 } }
        )
    }
}
