import FluentKit
import SQLKit

extension Database {
    /// This database as SQL. The store opens only SQLite and PostgreSQL, whose
    /// drivers both speak SQL, so every database it hands out is one; the
    /// assumption is checked here, once, instead of at each query.
    public var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("\(type(of: self)) does not speak SQL; the store opens only SQLite and PostgreSQL")
        }
        return sql
    }
}
