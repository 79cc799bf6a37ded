import FluentKit
import SQLKit

extension TestStore {
    /// The database's plan for `query`, as its EXPLAIN writes it. `avoidingScans` tells PostgreSQL to use an index
    /// where it can: it reads a nearly empty table whole whatever its indexes.
    public func plan(of query: SQLQueryString, avoidingScans: Bool = false) async throws -> String {
        try await database.transaction { db -> String in
            let sql = db.sql
            guard kind == .postgres else {
                return try await sql.raw("EXPLAIN QUERY PLAN \(query)").all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
            }
            if avoidingScans { try await sql.raw("SET LOCAL enable_seqscan = off").run() }
            return try await sql.raw("EXPLAIN \(query)").all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }
}
