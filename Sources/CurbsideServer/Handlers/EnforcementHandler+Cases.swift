import CurbsideAPI
import Crypto
import CurbsideCore
import CurbsideStore
import Foundation

extension EnforcementHandler {
    func listEnforcementCases(_ input: Operations.ListEnforcementCases.Input) async throws -> Operations.ListEnforcementCases.Output {
        let cases = try await EnforcementCases(store: store, database: try database).cases(status: input.query.status?.rawValue)
        return .ok(.init(body: .json(.init(items: cases.map(Components.Schemas.EnforcementCase.init)))))
    }

    func getEnforcementCase(_ input: Operations.GetEnforcementCase.Input) async throws -> Operations.GetEnforcementCase.Output {
        guard let found = try await EnforcementCases(store: store, database: try database).enforcementCase(input.path.caseId) else {
            throw APIError.notFound(EnforcementErrorCode.caseNotFound, input.path.caseId)
        }
        return .ok(.init(body: .json(.init(found))))
    }

    func exportEnforcementCase(_ input: Operations.ExportEnforcementCase.Input) async throws -> Operations.ExportEnforcementCase.Output {
        let (found, csv) = try await EnforcementCases(store: store, database: try database).export(input.path.caseId, by: try principal, now: now)
        return .ok(.init(body: .json(.init(
            _case: .init(found), bills: found.bills.filter { $0.evidenceProblems.isEmpty }.map(Components.Schemas.CaseBill.init),
            heldBack: found.bills.filter { !$0.evidenceProblems.isEmpty }.map(Components.Schemas.CaseBill.init), csv: csv,
            csvSha256: SHA256.hash(data: Data(csv.utf8)).map { String(format: "%02x", $0) }.joined()
        ))))
    }
}

extension Components.Schemas.EnforcementCase {
    init(_ found: CurbsideStore.EnforcementCase) {
        self.init(
            id: found.id, plate: found.plate, plateColour: found.plateColour, status: .init(rawValue: found.status) ?? .open,
            openedAt: Date(milliseconds: found.openedAt), exportedAt: found.exportedAt.map(Date.init(milliseconds:)), owedFen: found.owedFen,
            bills: found.bills.map(Components.Schemas.CaseBill.init)
        )
    }
}

extension Components.Schemas.CaseBill {
    init(_ bill: CurbsideStore.CaseBill) {
        self.init(
            billNumber: bill.number, bay: bill.bay, zoneId: bill.zoneID, address: bill.address, longitude: bill.longitude, latitude: bill.latitude,
            entry: Date(milliseconds: bill.entry), exit: Date(milliseconds: bill.exit), amountFen: bill.outstandingFen, imageSha256: bill.images,
            plateConfidence: bill.plateConfidence.map { Double($0) / 1000 }, evidenceProblems: bill.evidenceProblems
        )
    }
}
