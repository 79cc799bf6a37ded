import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Fluent
import Foundation
import Vapor

/// Implements the operations of openapi.yaml. Each area's operations live in
/// an extension named for it; this type holds only what they share.
struct APIHandler: APIProtocol {
    let configuration: CurbsideConfiguration
    let store: Store
    let openAPIDocument: String
    let tariffs: TariffBook
    let bindings: DeviceBindingsCache
    let beatLists: BeatListCache
    let evidence: any EvidenceObjects
    let jobs: BackgroundJobs
    let channels: ChannelVerifiers
    let notifier: any Notifier
    let tokens: TokenService
    let guards: EdgeGuards
    /// nil where no concession contract is configured: reports are then refused.
    let contract: ConcessionContract?
    let clock: @Sendable () -> Date

    /// The database handle of the request being served.
    var database: any Database {
        get throws { try RequestContext.current.db }
    }

    var registry: Registry {
        get throws { Registry(store: store, database: try database) }
    }

    var now: Int64 {
        Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
    }

    var principal: Principal {
        get throws {
            guard let principal = RequestContext.principal else { throw APIError.unauthenticated }
            return principal
        }
    }
}
