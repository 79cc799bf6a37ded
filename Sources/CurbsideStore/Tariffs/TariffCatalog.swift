import CurbsideCore
import FluentKit
import Foundation

/// A tariff file's identity and text, ready to be registered.
public struct TariffSource: Sendable {
    public var header: TariffHeader
    public var text: String
    public var sha256: String
    /// Where it was read from, for messages.
    public var origin: String

    public init(header: TariffHeader, text: String, sha256: String, origin: String) {
        self.header = header
        self.text = text
        self.sha256 = sha256
        self.origin = origin
    }
}

public enum TariffCatalogError: Error, CustomStringConvertible {
    /// A file's text changed but its version did not: bills priced with the old
    /// text would no longer be explained by what is stored under their version.
    case changedWithoutNewVersion(origin: String, id: String, version: Int)

    public var description: String {
        switch self {
        case let .changedWithoutNewVersion(origin, id, version):
            "\(origin): tariff \(id) version \(version) is already loaded with different content; give the changed file a new version."
        }
    }
}

/// The tariff versions known to the database.
public struct TariffCatalog: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Registers new versions; an already-loaded version must be byte-for-byte the same.
    /// Returns how many versions were added.
    @discardableResult
    public func register(_ sources: [TariffSource], at now: Date = Date()) async throws -> Int {
        try await store.write(on: database) { db in
            var added = 0
            for source in sources {
                let existing = try await TariffModel.query(on: db)
                    .filter(\.$tariffID == source.header.id)
                    .filter(\.$version == source.header.version)
                    .first()
                if let existing {
                    guard existing.sha256 == source.sha256 else {
                        throw TariffCatalogError.changedWithoutNewVersion(origin: source.origin, id: source.header.id, version: source.header.version)
                    }
                    continue
                }
                let model = TariffModel()
                model.tariffID = source.header.id
                model.version = source.header.version
                model.name = source.header.name
                model.summary = source.header.summary
                model.effectiveFrom = source.header.effective
                model.timeZone = source.header.timeZone
                model.source = source.text
                model.sha256 = source.sha256
                model.loadedAt = now
                try await model.create(on: db)
                added += 1
            }
            return added
        }
    }

    public func all() async throws -> [TariffModel] {
        try await TariffModel.query(on: database).sort(\.$tariffID).sort(\.$version).all()
    }

    /// The newest version of each tariff id.
    public func latest() async throws -> [String: TariffModel] {
        var latest: [String: TariffModel] = [:]
        for model in try await all() where (latest[model.tariffID]?.version ?? 0) < model.version {
            latest[model.tariffID] = model
        }
        return latest
    }
}
