import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension RegistryHandler {
    /// One record per active road segment, as the city platform registers
    /// on-street parking (seed 003 §5).
    func getStaticData(_ input: Operations.GetStaticData.Input) async throws -> Operations.GetStaticData.Output {
        let registry = try registry
        let now = clock()
        let tariffs = try await TariffCatalog(store: store, database: database).latest()
        var records: [Components.Schemas.StaticRecord] = []
        for zone in try await registry.availability(at: now, freshness: configuration.ingest.deviceOfflineAfter) where zone.zone.lifecycle == .active {
            let spec = zone.zone.spec
            for (segment, counts) in zone.segments {
                let middle = GeoDistance.midpoint(of: segment.spec.path)
                records.append(.init(
                    id: segment.spec.id, name: segment.spec.address, _type: .onStreet, _operator: spec.operatorName,
                    address: spec.districtName + segment.spec.address,
                    longitude: middle.longitude, latitude: middle.latitude,
                    openBays: counts.total, evBays: counts.evTotal, serviceHours: spec.serviceHours,
                    feeStandard: tariffs[spec.tariffID]?.summary ?? spec.tariffID, servicePhone: spec.servicePhone,
                    zoneId: spec.id, zoneClass: spec.zoneClass.rawValue
                ))
            }
        }
        return .ok(.init(body: .json(.init(divisionCode: configuration.city.code.rawValue, records: records))))
    }
}
