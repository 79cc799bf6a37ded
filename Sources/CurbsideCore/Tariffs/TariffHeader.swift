import Foundation

/// The identity of a tariff file: which scheme, which version, from when.
/// Bills pin `id` and `version`, so a file whose rules change must get a new version.
public struct TariffHeader: Hashable, Sendable, Decodable {
    public var id: String
    public var version: Int
    public var name: String
    /// First local day the version applies, yyyy-MM-dd.
    public var effective: String
    public var timeZone: String
    /// The fee standard in one paragraph, as published to citizens and the city platform.
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case id, version, name, effective, summary
        case timeZone = "time_zone"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard RegistryID.isValid(id) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "'\(id)' is not a valid id")
        }
        version = try container.decode(Int.self, forKey: .version)
        guard version > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: container, debugDescription: "must be a positive integer")
        }
        name = try container.decode(String.self, forKey: .name)
        effective = try container.decode(String.self, forKey: .effective)
        guard LocalDate(effective) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .effective, in: container, debugDescription: "'\(effective)' is not a date written yyyy-MM-dd")
        }
        // Required: a clock time read in the wrong zone prices every stay hours off.
        timeZone = try container.decode(String.self, forKey: .timeZone)
        guard TimeZone(identifier: timeZone) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .timeZone, in: container, debugDescription: "'\(timeZone)' is not an IANA time zone")
        }
        summary = try container.decode(String.self, forKey: .summary).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
