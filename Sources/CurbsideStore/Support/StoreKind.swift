/// The two databases Curbside runs on. SQLite is the embedded default for one
/// machine; PostgreSQL is the production store shared by several server instances.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }
}
