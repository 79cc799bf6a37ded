import CurbsideCore

/// Why a registry command was refused.
public enum RegistryError: Error, Sendable {
    case notFound(RegistryPlan.Entity, String)
    case alreadyExists(RegistryPlan.Entity, String)
    /// Retired records are kept for history and accept no further changes.
    case retired(RegistryPlan.Entity, String)
    /// The caller edited an older revision than the stored one.
    case revisionMismatch(expected: Int, actual: Int)
    /// A command whose arguments do not make sense together.
    case invalid(String)
    /// Every bay number a segment's prefix allows is taken.
    case codesExhausted(String)
    case rejected(ImportRejection)
}
