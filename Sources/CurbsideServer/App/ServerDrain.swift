import NIOConcurrencyHelpers
import Vapor

/// A server on its way down: once told to stop it answers readiness 503
/// (`draining`) while it still serves, so a load balancer stops sending it
/// new requests before it closes; then requests in flight finish and it stops.
public final class ServerDrain: Sendable {
    private let draining = NIOLockedValueBox(false)

    public init() {}

    public var isDraining: Bool { draining.withLockedValue { $0 } }

    public func begin() {
        draining.withLockedValue { $0 = true }
    }

    struct Key: StorageKey {
        typealias Value = ServerDrain
    }
}

extension Application {
    /// The drain of this application's server, made when its routes are.
    public var drain: ServerDrain {
        if let drain = storage[ServerDrain.Key.self] { return drain }
        let drain = ServerDrain()
        storage[ServerDrain.Key.self] = drain
        return drain
    }
}
