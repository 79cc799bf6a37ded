import CurbsideCore
import FluentKit
import SQLKit

/// Which providers can issue an invoice, and the rate its tax is stated at.
public struct InvoiceRouting: Sendable {
    /// WeChat Pay's e-invoices, for money paid by one WeChat Pay payment.
    public var wechat: Bool
    /// An invoicing platform, for any money.
    public var platform: Bool
    /// Hundredths of a percent.
    public var taxRate: Int

    public init(wechat: Bool, platform: Bool, taxRate: Int) {
        self.wechat = wechat
        self.platform = platform
        self.taxRate = taxRate
    }
}

/// E-invoices: asked for by a citizen (their account or the pay page's
/// receipt) or finance for paid bills, each bill's money on at most one live
/// invoice; sent to their provider and followed by the invoices job; when a
/// refund changes an invoiced bill's money, reversed (红冲) and replaced by a
/// corrected invoice, in the ledger's own transaction.
public struct Invoices: Sendable {
    /// An invoice covers a few bills: a month of a commuter's stays, not a city's.
    public static let mostBills = 50
    /// A claimed invoice is the claimer's for this long.
    public static let lease: Int64 = Milliseconds.minute

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    // MARK: - Asking

    /// Records an invoice for the money paid on `numbers` (each fully paid, none on a live invoice) made out to
    /// `title`. A citizen (`citizen`) may invoice only bills of plates bound to their account.
    public func request(
        bills numbers: [String], title: InvoiceTitle, by principal: Principal, citizen: String?, routing: InvoiceRouting, now: Int64
    ) async throws -> Invoice {
        let unique = Array(Set(numbers)).sorted()
        guard !unique.isEmpty, unique.count <= Self.mostBills else { throw BillingError.tooManyBills(limit: Self.mostBills) }
        return try await store.write(on: database) { db in
            let sql = db.sql
            let list = unique.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            // Another's bill is refused before anything about it is said.
            if let citizen {
                struct Row: Decodable { var number: String }
                let own = Set(try await sql.raw("""
                    SELECT b.number FROM bills b JOIN citizen_plates p ON p.plate = b.plate AND p.plate_colour = b.plate_colour
                    WHERE p.citizen_id = \(bind: citizen) AND b.number IN (\(list))
                    """).all(decoding: Row.self).map(\.number))
                if let other = unique.first(where: { !own.contains($0) }) { throw BillingError.notYourBill(other) }
            }
            let ledger = try await BillLedger(sql: sql, kind: store.kind).load(unique)
            var lines: [Invoice.Line] = []
            for number in unique {
                guard let balance = ledger.balance(number) else { throw BillingError.billNotFound(number) }
                guard balance.outstanding == 0, balance.netPaid > 0 else { throw BillingError.notInvoiceable(number) }
                lines.append(Invoice.Line(bill: number, amountFen: balance.netPaid))
            }
            struct Taken: Decodable { var bill_number: String; var invoice_id: String }
            if let taken = try await sql.raw("""
                SELECT bill_number, invoice_id FROM invoice_bills WHERE bill_number IN (\(list)) AND live = 1 ORDER BY bill_number LIMIT 1
                """).first(decoding: Taken.self) {
                throw BillingError.alreadyInvoiced(bill: taken.bill_number, invoice: taken.invoice_id)
            }
            let id = RandomID.make("IV", length: 14)
            let (provider, application) = try await route(ledger.entries.filter { $0.kind == .received }.map(\.reference), id: id, routing: routing, on: sql)
            let invoice = Self.draft(
                id: id, by: principal.description, citizen: citizen, title: title, lines: lines, taxRate: routing.taxRate, provider: provider,
                application: application, status: .requested, replaces: nil, now: now
            )
            try await Self.insert(invoice, next: now, on: sql)
            try await AuditLog.record("invoice", subject: id, by: principal, detail: [
                "bills": unique.joined(separator: ","), "total_fen": String(invoice.totalFen), "provider": provider,
            ], at: now, on: sql)
            return invoice
        }
    }

    /// WeChat Pay invoices money of one WeChat Pay payment (its transaction is the application); a platform any money.
    func route(_ payments: [String], id: String, routing: InvoiceRouting, on sql: any SQLDatabase) async throws -> (String, String) {
        let unique = Array(Set(payments)).sorted()
        if routing.wechat, unique.count == 1 {
            struct Row: Decodable { var channel: String; var transaction_id: String? }
            if let paid = try await sql.raw("SELECT channel, transaction_id FROM payments WHERE id = \(bind: unique[0])").first(decoding: Row.self),
               paid.channel == PaymentChannel.wechat.rawValue, let transaction = paid.transaction_id {
                return ("wechat", transaction)
            }
        }
        guard routing.platform else {
            throw BillingError.invoicingUnavailable(routing.wechat
                ? "Only money paid by one WeChat Pay payment can be invoiced here; ask for those bills separately, or ask finance."
                : "No invoicing provider is configured.")
        }
        return ("platform", id)
    }

    static func draft(
        id: String, by requester: String, citizen: String?, title: InvoiceTitle, lines: [Invoice.Line], taxRate: Int, provider: String,
        application: String, status: Invoice.Status, replaces: String?, now: Int64
    ) -> Invoice {
        let total = lines.reduce(0) { $0 + $1.amountFen }
        return Invoice(
            id: id, requestedBy: requester, citizen: citizen, title: title, lines: lines, totalFen: total,
            taxFen: lines.reduce(0) { $0 + InvoiceTax(includedIn: $1.amountFen, rate: taxRate).taxFen }, taxRate: taxRate, provider: provider,
            application: application, status: status, issued: .init(), redNumber: nil, replaces: replaces, reason: nil, failure: nil, attempts: 0,
            createdAt: now, finishedAt: nil
        )
    }

    static func insert(_ invoice: Invoice, next: Int64?, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO invoices (id, requested_by, citizen_id, title_kind, title_name, taxpayer_id, total_fen, tax_fen, tax_rate, provider,
                application_id, status, replaces, attempts, next_ms, created_ms)
            VALUES (\(bind: invoice.id), \(bind: invoice.requestedBy), \(bind: invoice.citizen), \(bind: invoice.title.kind.rawValue),
                \(bind: invoice.title.name), \(bind: invoice.title.taxpayerID?.rawValue), \(bind: Int64(invoice.totalFen)), \(bind: Int64(invoice.taxFen)),
                \(bind: invoice.taxRate), \(bind: invoice.provider), \(bind: invoice.application), \(bind: invoice.status.rawValue),
                \(bind: invoice.replaces), 0, \(bind: next), \(bind: invoice.createdAt))
            """).run()
        let values = invoice.lines.map { "(\(bind: invoice.id), \(bind: $0.bill), \(bind: Int64($0.amountFen)), 1)" as SQLQueryString }
        try await sql.raw("INSERT INTO invoice_bills (invoice_id, bill_number, amount_fen, live) VALUES \(values.joined(separator: ", "))").run()
    }

    // MARK: - Reading

    public func invoice(_ id: String) async throws -> Invoice? {
        try await Self.invoices(where: "id = \(bind: id)", on: database.sql).first
    }

    /// A citizen's invoices, newest first.
    public func invoices(citizen: String, limit: Int = 100) async throws -> [Invoice] {
        try await Self.invoices(where: "citizen_id = \(bind: citizen) ORDER BY created_ms DESC, id LIMIT \(bind: limit)", on: database.sql)
    }

    /// The invoices that ever covered a bill, newest first.
    public func invoices(bill: String) async throws -> [Invoice] {
        try await Self.invoices(where: """
            id IN (SELECT invoice_id FROM invoice_bills WHERE bill_number = \(bind: bill)) ORDER BY created_ms DESC, id
            """, on: database.sql)
    }

    static func invoices(where condition: SQLQueryString, on sql: any SQLDatabase) async throws -> [Invoice] {
        let rows = try await sql.raw("SELECT \(InvoiceColumns.list) FROM invoices WHERE \(condition)").all(decoding: InvoiceColumns.self)
        guard !rows.isEmpty else { return [] }
        struct Line: Decodable { var invoice_id: String; var bill_number: String; var amount_fen: Int }
        let lines = Dictionary(grouping: try await sql.raw("""
            SELECT invoice_id, bill_number, amount_fen FROM invoice_bills
            WHERE invoice_id IN (\(rows.map { "\(bind: $0.id)" as SQLQueryString }.joined(separator: ", "))) ORDER BY bill_number
            """).all(decoding: Line.self), by: \.invoice_id)
        return try rows.map { row in try row.invoice(lines: (lines[row.id] ?? []).map { Invoice.Line(bill: $0.bill_number, amountFen: $0.amount_fen) }) }
    }

    // MARK: - The invoices job

    /// Claims up to `limit` invoices due for their provider (to issue, to ask about, to reverse), each counted as an attempt.
    public func claimDue(now: Int64, limit: Int) async throws -> [Invoice] {
        try await store.write(on: database) { db in
            let sql = db.sql
            let skip: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            struct Row: Decodable { var id: String }
            let ids = try await sql.raw("""
                SELECT id FROM invoices WHERE next_ms <= \(bind: now) AND status IN ('requested', 'issuing', 'to_reverse', 'reversing')
                ORDER BY next_ms, id LIMIT \(bind: limit) \(skip)
                """).all(decoding: Row.self).map(\.id)
            guard !ids.isEmpty else { return [] }
            let list = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("UPDATE invoices SET next_ms = \(bind: now + Self.lease), attempts = attempts + 1 WHERE id IN (\(list))").run()
            return try await Self.invoices(where: "id IN (\(list)) ORDER BY next_ms, id", on: sql)
        }
    }

    /// Applies where the provider says the invoice stands (nil: it does not know it); returns the invoice as it is now.
    /// `link` is the pay page of a bill's token: the issued notice carries the invoice's file or it.
    @discardableResult
    public func record(_ id: String, _ progress: InvoiceProgress?, retryAt next: Int64, link: @escaping @Sendable (String) -> String, now: Int64) async throws -> Invoice? {
        try await store.write(on: database) { db in
            let sql = db.sql
            let lock: SQLQueryString = store.kind == .postgres ? "FOR UPDATE" : ""
            guard let invoice = try await Self.invoices(where: "id = \(bind: id) \(lock)", on: sql).first else { return nil }
            switch (invoice.status, progress) {
            case (.requested, .accepted?), (.issuing, .accepted?):
                try await Self.set(id, "status = 'issuing', next_ms = \(bind: next)", on: sql)
            case let (.requested, .issued(issued)?), let (.issuing, .issued(issued)?):
                try await Self.set(id, "status = 'issued', next_ms = NULL, finished_ms = \(bind: now), failure = NULL, \(Self.fields(issued))", on: sql)
                try await Self.notify(invoice, issued: issued, link: link, now: now, on: sql)
            case let (.requested, .failed(reason)?), let (.issuing, .failed(reason)?):
                try await reject(invoice, reason, now: now, on: sql)
            case (.issuing, nil):
                // Taken, then lost: sent again, which the provider takes as the same invoice.
                try await Self.set(id, "status = 'requested', next_ms = \(bind: now)", on: sql)
            case let (.toReverse, .issued(issued)?):
                try await Self.set(id, "next_ms = \(bind: now), \(Self.fields(issued))", on: sql)
            case (.toReverse, .accepted?):
                try await Self.set(id, "next_ms = \(bind: next)", on: sql)
            case (.toReverse, .failed?), (.toReverse, nil):
                // Never issued: nothing to reverse.
                try await finish(invoice, as: .cancelled, red: nil, now: now, on: sql)
            case let (.toReverse, .reversing(issued)?), let (.reversing, .reversing(issued)?):
                try await Self.set(id, "status = 'reversing', next_ms = \(bind: next), \(Self.fields(issued))", on: sql)
            case let (.toReverse, .reversed(red)?), let (.reversing, .reversed(red)?), let (.issued, .reversed(red)?):
                try await finish(invoice, as: .reversed, red: red, now: now, on: sql)
            default:
                try await Self.set(id, "next_ms = \(bind: next)", on: sql)
            }
            return try await Self.invoices(where: "id = \(bind: id)", on: sql).first
        }
    }

    /// The provider did not answer, or refused for now: asked again at `next`.
    public func retry(_ id: String, next: Int64, failure: String) async throws {
        try await store.write(on: database) { db in
            try await Self.set(id, "next_ms = \(bind: next), failure = \(bind: String(failure.prefix(500)))", on: db.sql)
        }
    }

    /// The provider will not issue it: its bills are free to be invoiced again (with a corrected title, say).
    public func reject(_ id: String, failure: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard let invoice = try await Self.invoices(where: "id = \(bind: id)", on: sql).first, invoice.status == .requested || invoice.status == .issuing else { return }
            try await reject(invoice, failure, now: now, on: sql)
        }
    }

    /// Finance reverses an issued invoice (a wrong title, say); its bills may be invoiced again at once.
    public func reverse(_ id: String, reason: String, by principal: Principal, now: Int64) async throws -> Invoice {
        try await store.write(on: database) { db in
            let sql = db.sql
            let lock: SQLQueryString = store.kind == .postgres ? "FOR UPDATE" : ""
            guard let invoice = try await Self.invoices(where: "id = \(bind: id) \(lock)", on: sql).first else { throw BillingError.invoiceNotFound(id) }
            guard invoice.status == .issued else { throw BillingError.invoiceNotIssued(id) }
            try await sql.raw("UPDATE invoice_bills SET live = 0 WHERE invoice_id = \(bind: id)").run()
            try await Self.set(id, "status = 'to_reverse', next_ms = \(bind: now), reason = \(bind: reason)", on: sql)
            try await AuditLog.record("invoice_reverse", subject: id, by: principal, detail: ["reason": reason], at: now, on: sql)
            return try await Self.invoices(where: "id = \(bind: id)", on: sql).first!
        }
    }

    func reject(_ invoice: Invoice, _ reason: String, now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE invoice_bills SET live = 0 WHERE invoice_id = \(bind: invoice.id)").run()
        try await Self.set(invoice.id, "status = 'rejected', next_ms = NULL, finished_ms = \(bind: now), failure = \(bind: String(reason.prefix(500)))", on: sql)
        // A correction refused sends its bills nowhere: the reversal stands, and they may be invoiced again.
    }

    /// Ends an invoice that no longer stands, and lets the corrected one that waited for it go.
    func finish(_ invoice: Invoice, as status: Invoice.Status, red: String?, now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE invoice_bills SET live = 0 WHERE invoice_id = \(bind: invoice.id)").run()
        try await Self.set(invoice.id, "status = \(bind: status.rawValue), next_ms = NULL, finished_ms = \(bind: now), red_number = \(bind: red)", on: sql)
        try await sql.raw("""
            UPDATE invoices SET status = 'requested', next_ms = \(bind: now) WHERE replaces = \(bind: invoice.id) AND status = 'waiting'
            """).run()
    }

    static func set(_ id: String, _ assignments: SQLQueryString, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE invoices SET \(assignments) WHERE id = \(bind: id)").run()
    }

    static func fields(_ issued: IssuedInvoice) -> SQLQueryString {
        """
        number = \(bind: issued.number), code = \(bind: issued.code), check_code = \(bind: issued.checkCode), file_url = \(bind: issued.fileURL), \
        issued_at = \(bind: issued.issuedAt)
        """
    }

    /// Tells the citizen who asked that the invoice is issued, with its file (or the pay page that shows it).
    static func notify(_ invoice: Invoice, issued: IssuedInvoice, link: (String) -> String, now: Int64, on sql: any SQLDatabase) async throws {
        guard let citizen = invoice.citizen, let bill = invoice.lines.first?.bill else { return }
        struct Row: Decodable { var phone: String; var language: String?; var sms_opt_out_ms: Int64?; var pay_token: String }
        guard let row = try await sql.raw("""
            SELECT c.phone, c.language, c.sms_opt_out_ms, b.pay_token FROM citizens c, bills b WHERE c.id = \(bind: citizen) AND b.number = \(bind: bill)
            """).first(decoding: Row.self), row.sms_opt_out_ms == nil else { return }
        try await NoticeOutbox.enqueue(.invoiceIssued, bill: bill, recipient: "sms:" + row.phone, language: row.language, parameters: [
            "number": issued.number, "amount": Money.yuan(invoice.totalFen), "title": invoice.title.name,
        ], link: issued.fileURL ?? link(row.pay_token), at: now, on: sql)
    }

    // MARK: - Money changed

    /// After ledger entries that refund money: each live invoice on a bill whose money it no longer matches is to be
    /// reversed (or, never sent, cancelled), and a corrected one for what is left paid takes its place once it is.
    static func moneyChanged(_ entries: [LedgerEntry], ledger: Ledger, at now: Int64, kind: StoreKind, on sql: any SQLDatabase) async throws {
        let refunded = Array(Set(entries.filter { $0.kind == .refund }.map(\.bill))).sorted()
        guard !refunded.isEmpty else { return }
        struct Row: Decodable { var invoice_id: String; var bill_number: String; var amount_fen: Int }
        let touched = try await sql.raw("""
            SELECT invoice_id, bill_number, amount_fen FROM invoice_bills
            WHERE live = 1 AND bill_number IN (\(refunded.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))
            """).all(decoding: Row.self)
        let changed = Set(touched.filter { $0.amount_fen != ledger.balance($0.bill_number)?.netPaid }.map(\.invoice_id)).sorted()
        guard !changed.isEmpty else { return }
        // Locked, so the invoices job cannot claim one between this reading and the writing below.
        let lock: SQLQueryString = kind == .postgres ? "FOR UPDATE" : ""
        let list = changed.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        for invoice in try await invoices(where: "id IN (\(list)) \(lock)", on: sql) {
            try await sql.raw("UPDATE invoice_bills SET live = 0 WHERE invoice_id = \(bind: invoice.id)").run()
            let unsent = (invoice.status == .requested || invoice.status == .waiting) && invoice.attempts == 0
            if unsent {
                try await Self.set(invoice.id, "status = 'cancelled', next_ms = NULL, finished_ms = \(bind: now), reason = 'refund'", on: sql)
            } else {
                try await Self.set(invoice.id, "status = 'to_reverse', next_ms = \(bind: now), reason = 'refund'", on: sql)
            }
            let lines = invoice.lines.map { Invoice.Line(bill: $0.bill, amountFen: ledger.balance($0.bill)?.netPaid ?? $0.amountFen) }.filter { $0.amountFen > 0 }
            guard !lines.isEmpty else { continue }
            let replaces = unsent ? invoice.replaces : invoice.id
            let id = RandomID.make("IV", length: 14)
            try await insert(draft(
                id: id, by: invoice.requestedBy, citizen: invoice.citizen, title: invoice.title, lines: lines, taxRate: invoice.taxRate,
                provider: invoice.provider, application: invoice.provider == "wechat" ? invoice.application : id,
                status: replaces == nil ? .requested : .waiting, replaces: replaces, now: now
            ), next: replaces == nil ? now : nil, on: sql)
        }
    }
}
