import CurbsideAPI
import CurbsideCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.Quote {
    init(_ quote: Quote, engine: TariffEngine, zoneID: String? = nil, bayCode: String? = nil) {
        let text = QuoteText(tariff: engine.tariff, clock: engine.clock)
        let rules = engine.tariff.rules(for: quote.zoneClass)
        self.init(
            tariffId: quote.tariffID, tariffVersion: quote.tariffVersion, calendarId: quote.calendarID,
            calendarVersion: quote.calendarVersion, zoneId: zoneID, bayCode: bayCode,
            zoneClass: .init(rawValue: quote.zoneClass.rawValue)!, vehicle: .init(rawValue: quote.vehicle.rawValue)!,
            timeZone: engine.clock.identifier, from: Date(seconds: quote.from),
            to: Date(seconds: quote.to), amountFen: quote.amountFen,
            lines: quote.lines.map { line in
                let window = line.dayType.flatMap { type in line.window >= 0 ? rules.windows[type.rawValue][line.window].label : nil }
                return .init(
                    kind: .init(rawValue: line.kind.rawValue)!, from: Date(seconds: line.from),
                    to: Date(seconds: line.to), units: line.units, unitMinutes: line.unitMinutes,
                    unitPriceFen: line.unitPriceFen, amountFen: line.amountFen,
                    dayType: line.dayType.map { .init(rawValue: $0 == .nonWorkday ? "non_workday" : "\($0)")! }, window: window,
                    description: text.describe(line, in: quote)
                )
            },
            notes: text.notes(quote)
        )
    }
}

/// The quote JSON of the API, for `curbside quote --json`.
public enum QuoteJSON {
    public static func encode(_ quote: Quote, engine: TariffEngine) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try RFC3339DateTranscoder().encode(date))
        }
        return try encoder.encode(Components.Schemas.Quote(quote, engine: engine))
    }
}
