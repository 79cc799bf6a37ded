import CurbsideServer
import CurbsideStore
import CurbsideStoreTestSupport

/// The configuration tests run with.
public enum TestConfiguration {
    public static let jwtSecret = "curbside-test-signing-secret-0123456789"

    public static func make(_ location: StoreLocation, dataDirectory: String) -> CurbsideConfiguration {
        var configuration = CurbsideConfiguration(database: location, dataDirectory: dataDirectory)
        configuration.files.zones = RepositoryPaths.zones
        configuration.files.tariffs = RepositoryPaths.tariffs
        configuration.tokens.secret = jwtSecret
        configuration.log = LogSettings(level: .warning, format: .text)
        configuration.store.poolSize = 2
        // A machine busy with the whole suite can keep a query waiting for a connection for seconds.
        configuration.store.poolTimeoutSeconds = Int(Loopback.deadline.nanoseconds / 1_000_000_000)
        // Channels here are loopback simulators.
        configuration.channels.timeout = Loopback.deadlineMilliseconds
        return configuration
    }
}
