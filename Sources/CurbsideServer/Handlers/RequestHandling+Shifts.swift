import CurbsideCore
import CurbsideStore
import Foundation

extension RequestHandling {
    /// The calling officer's open shift: every patrol view is of that shift's beat.
    func myShift() async throws -> Shift {
        guard let shift = try await Shifts(store: store, database: try database).current(try principal.subject) else { throw PatrolError.noShift }
        return shift
    }
}
