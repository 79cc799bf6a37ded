/// The machine-readable code of a refusal. Each area has its own enum, so a
/// newcomer finds every way an area says no in one file, and docs/api.md lists
/// them all (a test keeps the two together).
public protocol ErrorCode: RawRepresentable<String>, CaseIterable, Sendable {
    /// The area's name as docs/api.md heads its codes.
    static var area: String { get }
}

/// Every area's codes, for the documentation test.
public enum ErrorCodes {
    public static let areas: [any ErrorCode.Type] = [
        RequestErrorCode.self, AccessErrorCode.self, RegistryErrorCode.self, TariffErrorCode.self, IngestErrorCode.self, SessionErrorCode.self,
        BillingErrorCode.self, CitizenErrorCode.self, PlateErrorCode.self, PatrolErrorCode.self, EnforcementErrorCode.self, ReportErrorCode.self,
        CDSErrorCode.self, PrivacyErrorCode.self,
    ]
}
