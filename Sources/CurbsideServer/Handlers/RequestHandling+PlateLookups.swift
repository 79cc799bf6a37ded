import CurbsideCore
import CurbsideStore

extension RequestHandling {
    /// Every look-up of a plate by staff is written to the audit log before it
    /// is answered, with the reason the caller gave; staff must give one.
    /// Citizens and the public are not audited (their answers are masked).
    func auditPlateLookup(_ plate: String, colour: PlateColour, reason: String?, operation: String, detail: [String: String] = [:]) async throws {
        guard let caller = RequestContext.principal, caller.role.isStaff else { return }
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw APIError.badRequest(PatrolErrorCode.reasonRequired, "Staff looking a plate up say why: give `reason` (it is written to the audit log).")
        }
        try await AuditLog.plateLookup(plate, colour: colour, by: caller, reason: reason, operation: operation, detail: detail, store: store, database: try database, at: now)
    }
}
