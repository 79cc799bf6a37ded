import CurbsideCore
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
        // Channels here are loopback simulators: on a machine busy with the whole suite a call can wait seconds
        // for a thread, and a channel that is down refuses at once, so a deadline only ever fails a test wrongly.
        configuration.channels.timeout = 60 * Milliseconds.second
        return configuration
    }
}
