import FluentKit
import Foundation

/// A tariff file as loaded. Bills pin (tariff_id, version), so versions are
/// kept side by side and a file whose version changes adds a row.
public final class TariffModel: Model, @unchecked Sendable {
    public static let schema = "tariffs"

    @ID(key: .id) public var id: UUID?
    @Field(key: "tariff_id") public var tariffID: String
    @Field(key: "version") public var version: Int
    @Field(key: "name") public var name: String
    /// One paragraph a person reads as the fee standard, published with static data.
    @Field(key: "summary") public var summary: String
    /// First local day the version applies, yyyy-MM-dd.
    @Field(key: "effective_from") public var effectiveFrom: String
    @Field(key: "time_zone") public var timeZone: String
    /// The file as written, so a bill can always be re-explained from what priced it.
    @Field(key: "source") public var source: String
    @Field(key: "sha256") public var sha256: String
    @Field(key: "loaded_at") public var loadedAt: Date

    public init() {}
}
