/// Where a store's database is: an SQLite file (the embedded default) or a PostgreSQL server.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public var kind: StoreKind {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }
}
