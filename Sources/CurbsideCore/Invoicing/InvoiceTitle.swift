import Foundation

/// Whom an invoice is made out to (发票抬头): a person, by name, or a
/// company, by name and taxpayer id.
public struct InvoiceTitle: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case personal
        case company
    }

    /// Why a title cannot go on an invoice.
    public enum Problem: Error, Equatable, Sendable {
        case nameEmpty
        case nameTooLong(Int)
        case taxpayerIDMissing
        case taxpayerIDInvalid(String)
        case taxpayerIDNotForPersons
    }

    /// Names longer than this are not a title (the providers allow 256 bytes: about 80 Chinese characters).
    public static let longestName = 80

    public var kind: Kind
    public var name: String
    public var taxpayerID: TaxpayerID?

    public init(kind: Kind, name: String, taxpayerID: String?) throws(Problem) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .nameEmpty }
        guard trimmed.count <= Self.longestName else { throw .nameTooLong(Self.longestName) }
        self.kind = kind
        self.name = trimmed
        let id = taxpayerID.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        switch kind {
        case .personal:
            guard id == nil else { throw .taxpayerIDNotForPersons }
            self.taxpayerID = nil
        case .company:
            guard let id else { throw .taxpayerIDMissing }
            guard let parsed = TaxpayerID(id) else { throw .taxpayerIDInvalid(id) }
            self.taxpayerID = parsed
        }
    }

    enum CodingKeys: String, CodingKey { case kind, name, taxpayerID = "taxpayer_id" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            kind: try container.decode(Kind.self, forKey: .kind), name: try container.decode(String.self, forKey: .name),
            taxpayerID: try container.decodeIfPresent(String.self, forKey: .taxpayerID)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(taxpayerID?.rawValue, forKey: .taxpayerID)
    }
}
