import CurbsideCore
import FluentKit
import Foundation

/// The bay registry: zones, road segments and bays, every change recorded.
/// Commands run in one transaction each; queries read committed state.
public struct Registry: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }
}

/// Where a registry change came from, kept on its change record.
public enum ChangeSource: String, Sendable, Codable {
    case api, `import`, seed
}
