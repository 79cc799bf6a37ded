import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension RegistryHandler {
    func quoteStay(_ input: Operations.QuoteStay.Input) async throws -> Operations.QuoteStay.Output {
        let registry = try registry
        let code = try await resolveBayCode(input.path.code, in: registry)
        guard let bay = try await registry.bay(code), let zone = try await registry.zone(bay.zoneID) else {
            throw APIError.notFound(RegistryErrorCode.bayNotFound, code.rawValue)
        }
        guard let clock = ZoneClock(identifier: zone.spec.timeZone) else {
            throw APIError(.internalServerError, RequestErrorCode.internalError, "Zone \(zone.spec.id) has an unknown time zone.")
        }
        let now = self.clock().seconds
        let from = try input.query.from.map { try Self.instant($0, field: "from", clock: clock) } ?? now
        let until = try Self.instant(input.query.until, field: "until", clock: clock)
        guard let engine = tariffs.engine(id: zone.spec.tariffID, at: from) else {
            throw APIError.invalid(TariffErrorCode.noTariffInForce, "Tariff \(zone.spec.tariffID) has no version in force on that day.")
        }
        let vehicle = input.query.vehicle.map { VehicleClass(rawValue: $0.rawValue)! } ?? .small
        let quote: Quote
        do {
            quote = try engine.quote(zoneClass: zone.spec.zoneClass, vehicle: vehicle, from: from, to: until)
        } catch {
            throw APIError.invalid(error == .endsBeforeStart ? TariffErrorCode.stayEndsBeforeStart : .stayTooLong, error.description)
        }
        return .ok(.init(body: .json(.init(quote, engine: engine, zoneID: zone.spec.id, bayCode: code.rawValue))))
    }

    func getZoneTariff(_ input: Operations.GetZoneTariff.Input) async throws -> Operations.GetZoneTariff.Output {
        guard let zone = try await registry.zone(input.path.zoneId) else { throw APIError.notFound(RegistryErrorCode.zoneNotFound, input.path.zoneId) }
        guard let engine = tariffs.engine(id: zone.spec.tariffID, at: clock().seconds) else {
            throw APIError.notFound(TariffErrorCode.tariffNotFound, zone.spec.tariffID)
        }
        let tariff = engine.tariff
        return .ok(.init(body: .json(.init(
            zoneId: zone.spec.id, zoneName: zone.spec.name, zoneClass: .init(rawValue: zone.spec.zoneClass.rawValue)!,
            tariffId: tariff.header.id, tariffVersion: tariff.header.version, name: tariff.header.name,
            effectiveFrom: tariff.header.effective, timeZone: tariff.header.timeZone, summary: tariff.header.summary,
            illustrative: tariff.illustrative, rules: TariffText(tariff: tariff).lines(for: zone.spec.zoneClass), notes: tariff.notes
        ))))
    }

    /// An instant from a query: with an offset, or local time in the zone.
    static func instant(_ text: String, field: String, clock: ZoneClock) throws(APIError) -> Int64 {
        guard let instant = LocalDateTime.instant(text, in: clock) else {
            throw .badRequest(RequestErrorCode.invalidTime, "\(field) '\(text)' is not a time such as 2026-11-21T18:00 or 2026-11-21T18:00:00+08:00.")
        }
        return instant
    }
}
