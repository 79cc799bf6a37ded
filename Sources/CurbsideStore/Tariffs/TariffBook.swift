import CurbsideCore
import Foundation
import Yams

/// Every tariff version the database holds, ready to quote. Built at start
/// from the stored file texts, so a version that priced old bills stays
/// available after its file has moved on.
public struct TariffBook: Sendable {
    struct Entry: Sendable {
        var effective: LocalDate
        var engine: TariffEngine
    }

    /// Versions of each tariff id, oldest first.
    private let entries: [String: [Entry]]

    public init(catalog: TariffCatalog) async throws {
        var calendars: [String: HolidayCalendar] = [:]
        for model in try await catalog.calendars() {
            calendars[model.calendarID] = try TariffFiles.decode(HolidayCalendarDocument.self, model.source, "stored calendar \(model.calendarID) v\(model.version)").calendar
        }
        var entries: [String: [Entry]] = [:]
        for model in try await catalog.tariffs() {
            let tariff = try TariffFiles.decode(TariffDocument.self, model.source, "stored tariff \(model.tariffID) v\(model.version)").tariff
            guard let clock = ZoneClock(identifier: tariff.header.timeZone), let effective = LocalDate(tariff.header.effective) else { continue }
            let engine = TariffEngine(tariff: tariff, calendar: tariff.calendarID.flatMap { calendars[$0] }, clock: clock)
            entries[model.tariffID, default: []].append(Entry(effective: effective, engine: engine))
        }
        self.entries = entries
    }

    public func engine(id: String, version: Int) -> TariffEngine? {
        entries[id]?.first { $0.engine.tariff.header.version == version }?.engine
    }

    /// The version in force on the local day of `instant`: the newest one already effective.
    public func engine(id: String, at instant: Int64) -> TariffEngine? {
        guard let versions = entries[id] else { return nil }
        return versions.last { entry in
            LocalDate(dayNumber: entry.engine.clock.localDay(instant)) >= entry.effective
        }?.engine
    }

    /// The newest version of each tariff, for publishing.
    public var current: [TariffEngine] {
        entries.values.compactMap { $0.last?.engine }.sorted { $0.tariff.header.id < $1.tariff.header.id }
    }
}
