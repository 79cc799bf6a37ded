import CurbsideCore
import CurbsideStore
import Fluent
import Foundation

/// What every capability's handler holds, and what it reads of the request
/// it serves: the request's database handle and principal come from one
/// context (`RequestContext`), set for each request by middleware.
protocol RequestHandling: Sendable {
    var configuration: CurbsideConfiguration { get }
    var store: Store { get }
    var clock: @Sendable () -> Date { get }
}

extension RequestHandling {
    /// The database handle of the request being served.
    var database: any Database {
        get throws { try RequestContext.current.db }
    }

    var registry: Registry {
        get throws { Registry(store: store, database: try database) }
    }

    var now: Int64 {
        clock().milliseconds
    }

    var principal: Principal {
        get throws {
            guard let principal = RequestContext.principal else { throw APIError.unauthenticated }
            return principal
        }
    }
}
