import CurbsideServer
import CurbsideStore
import CurbsideStoreTestSupport

/// The configuration tests run with.
public enum TestConfiguration {
    public static let jwtSecret = "curbside-test-signing-secret-0123456789"

    public static func make(_ location: StoreLocation, dataDirectory: String) -> CurbsideConfiguration {
        CurbsideConfiguration(
            database: location, dataDirectory: dataDirectory, zonesDirectory: RepositoryPaths.zones,
            tariffsDirectory: RepositoryPaths.tariffs, jwtSecret: jwtSecret, logLevel: .warning, logFormat: .text,
            databasePoolSize: 2
        )
    }
}
