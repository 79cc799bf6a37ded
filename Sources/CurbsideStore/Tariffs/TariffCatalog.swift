import CurbsideCore
import FluentKit
import Foundation

/// A tariff or holiday calendar file's identity and text, ready to be registered.
public struct PricingSource: Sendable {
    public var id: String
    public var version: Int
    public var name: String
    public var text: String
    public var sha256: String
    /// Where it was read from, for messages.
    public var origin: String
    /// For tariffs: the header the tariffs table indexes.
    public var header: TariffHeader?

    public init(id: String, version: Int, name: String, text: String, sha256: String, origin: String, header: TariffHeader?) {
        self.id = id
        self.version = version
        self.name = name
        self.text = text
        self.sha256 = sha256
        self.origin = origin
        self.header = header
    }
}

public enum TariffCatalogError: Error, CustomStringConvertible {
    /// A file's text changed but its version did not: bills priced with the old
    /// text would no longer be explained by what is stored under their version.
    case changedWithoutNewVersion(origin: String, id: String, version: Int)

    public var description: String {
        switch self {
        case let .changedWithoutNewVersion(origin, id, version):
            "\(origin): \(id) version \(version) is already loaded with different content; give the changed file a new version."
        }
    }
}

/// The tariff and calendar versions known to the database. Versions are
/// never replaced: bills pin the version that priced them.
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
    public func register(tariffs: [PricingSource], calendars: [PricingSource], at now: Date = Date()) async throws -> Int {
        try await store.write(on: database) { db in
            var added = 0
            for source in calendars {
                let stored = try await HolidayCalendarModel.query(on: db)
                    .filter(\.$calendarID == source.id).filter(\.$version == source.version).first()?.sha256
                guard try Self.isNew(source, stored: stored) else { continue }
                let model = HolidayCalendarModel()
                model.calendarID = source.id
                model.version = source.version
                model.name = source.name
                model.source = source.text
                model.sha256 = source.sha256
                model.loadedAt = now
                try await model.create(on: db)
                added += 1
            }
            for source in tariffs {
                guard let header = source.header else { continue }
                let stored = try await TariffModel.query(on: db)
                    .filter(\.$tariffID == source.id).filter(\.$version == source.version).first()?.sha256
                guard try Self.isNew(source, stored: stored) else { continue }
                let model = TariffModel()
                model.tariffID = header.id
                model.version = header.version
                model.name = header.name
                model.summary = header.summary
                model.effectiveFrom = header.effective
                model.timeZone = header.timeZone
                model.source = source.text
                model.sha256 = source.sha256
                model.loadedAt = now
                try await model.create(on: db)
                added += 1
            }
            return added
        }
    }

    /// Whether a version is not stored yet; a stored one must have exactly the same text.
    private static func isNew(_ source: PricingSource, stored: String?) throws -> Bool {
        guard let stored else { return true }
        guard stored == source.sha256 else {
            throw TariffCatalogError.changedWithoutNewVersion(origin: source.origin, id: source.id, version: source.version)
        }
        return false
    }

    public func tariffs() async throws -> [TariffModel] {
        try await TariffModel.query(on: database).sort(\.$tariffID).sort(\.$version).all()
    }

    public func calendars() async throws -> [HolidayCalendarModel] {
        try await HolidayCalendarModel.query(on: database).sort(\.$calendarID).sort(\.$version).all()
    }

    /// The newest version of each tariff id.
    public func latest() async throws -> [String: TariffModel] {
        var latest: [String: TariffModel] = [:]
        for model in try await tariffs() where (latest[model.tariffID]?.version ?? 0) < model.version {
            latest[model.tariffID] = model
        }
        return latest
    }
}
