import FluentKit
import SQLKit

/// E-invoices (电子发票): each invoice with its title, provider, state and
/// what the provider issued; the money it stands for, one row per bill. A
/// bill's money is on at most one live invoice (a partial unique index), so
/// it is never invoiced twice; rows of a rejected or reversed invoice are no
/// longer live.
struct M0027_CreateInvoices: AsyncMigration {
    var name: String { "0027_create_invoices" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await database.schema("invoices")
            .field("id", .string, .identifier(auto: false))
            .field("requested_by", .string, .required)
            .field("citizen_id", .string)
            .field("title_kind", .string, .required)
            .field("title_name", .string, .required)
            .field("taxpayer_id", .string)
            .field("total_fen", .int64, .required)
            .field("tax_fen", .int64, .required)
            .field("tax_rate", .int32, .required)
            .field("provider", .string, .required)
            .field("application_id", .string, .required)
            .field("status", .string, .required)
            .field("number", .string)
            .field("code", .string)
            .field("check_code", .string)
            .field("file_url", .string)
            .field("issued_at", .string)
            .field("red_number", .string)
            .field("replaces", .string)
            .field("reason", .string)
            .field("failure", .string)
            .field("attempts", .int32, .required, .sql(.default(0)))
            .field("next_ms", .int64)
            .field("created_ms", .int64, .required)
            .field("finished_ms", .int64)
            .create()
        try await sql.create(index: "invoices_next_idx").on("invoices").column("next_ms").run()
        try await sql.create(index: "invoices_citizen_idx").on("invoices").column("citizen_id").run()
        try await sql.create(index: "invoices_replaces_idx").on("invoices").column("replaces").run()

        try await database.schema("invoice_bills")
            .field("invoice_id", .string, .required)
            .field("bill_number", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("live", .int32, .required)
            .compositeIdentifier(over: "invoice_id", "bill_number")
            .create()
        try await sql.raw("CREATE UNIQUE INDEX invoice_bills_live_idx ON invoice_bills (bill_number) WHERE live = 1").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("invoice_bills").delete()
        try await database.schema("invoices").delete()
    }
}
