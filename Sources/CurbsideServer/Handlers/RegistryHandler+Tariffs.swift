import CurbsideAPI
import CurbsideStore

extension RegistryHandler {
    func listTariffs(_ input: Operations.ListTariffs.Input) async throws -> Operations.ListTariffs.Output {
        let models = try await TariffCatalog(store: store, database: database).tariffs()
        let tariffs = models.map {
            Components.Schemas.TariffSummary(
                id: $0.tariffID, version: $0.version, name: $0.name, effectiveFrom: $0.effectiveFrom,
                timeZone: $0.timeZone, sha256: $0.sha256
            )
        }
        return .ok(.init(body: .json(.init(tariffs: tariffs))))
    }
}
