import CurbsideCore
import FluentKit
import SQLKit

/// No ledger entry or payment may hold more than `Ledger.maxEntryFen`, or
/// less than nothing, whatever code writes it: the database refuses it, so
/// every sum a report or a shift makes of them stays far from overflowing.
struct M0019_BoundMoneyAmounts: AsyncMigration {
    var name: String { "0019_bound_money_amounts" }

    static let tables = ["ledger_entries", "payments"]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let limit = Ledger.maxEntryFen
        for table in Self.tables {
            if sql.dialect.name == "sqlite" {
                // SQLite cannot add a CHECK constraint to a table; triggers refuse the row instead.
                for event in ["INSERT", "UPDATE OF amount_fen"] {
                    let trigger = "\(table)_amount_bounded_\(event.hasPrefix("INSERT") ? "insert" : "update")"
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: trigger) BEFORE \(unsafeRaw: event) ON \(unsafeRaw: table)
                        WHEN NEW.amount_fen < 0 OR NEW.amount_fen > \(unsafeRaw: String(limit))
                        BEGIN SELECT RAISE(ABORT, 'amount_fen out of range'); END
                        """).run()
                }
            } else {
                try await sql.raw("""
                    ALTER TABLE \(unsafeRaw: table) ADD CONSTRAINT \(unsafeRaw: table)_amount_bounded
                    CHECK (amount_fen >= 0 AND amount_fen <= \(unsafeRaw: String(limit)))
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in Self.tables {
            if sql.dialect.name == "sqlite" {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_amount_bounded_insert").run()
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_amount_bounded_update").run()
            } else {
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) DROP CONSTRAINT \(unsafeRaw: table)_amount_bounded").run()
            }
        }
    }
}
