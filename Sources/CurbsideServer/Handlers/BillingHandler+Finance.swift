import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation
import OpenAPIRuntime

extension BillingHandler {
    func listBills(_ input: Operations.ListBills.Input) async throws -> Operations.ListBills.Output {
        let query = input.query
        let limit = query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let bills = try await Bills(store: store, database: try database).issued(
            from: query.from.milliseconds, until: query.until.milliseconds, status: query.status.map { StoredBill.Status(rawValue: $0.rawValue)! },
            after: query.after, limit: limit
        )
        return .ok(.init(body: .json(.init(items: bills.map(Components.Schemas.Bill.init), nextAfter: bills.count == limit ? bills.last?.bill.number : nil))))
    }

    func getBill(_ input: Operations.GetBill.Input) async throws -> Operations.GetBill.Output {
        let database = try database
        let bills = Bills(store: store, database: database)
        guard let bill = try await bills.bill(input.path.number) else { throw APIError.notFound(BillingErrorCode.billNotFound, input.path.number) }
        let entries = try await bills.entries(bill.bill.number)
        let refunds = try await Refunds.list(bill: bill.bill.number, on: database)
        let notices = try await NoticeOutbox(store: store, database: database).notices(bill: bill.bill.number)
        let debit = try await AutoPay(store: store, database: database).debit(bill: bill.bill.number)
        return .ok(.init(body: .json(.init(
            value1: .init(bill),
            value2: .init(
                ledger: entries.map { .init(kind: .init(rawValue: $0.kind.rawValue)!, amountFen: $0.amountFen, at: Date(milliseconds: $0.at), reference: $0.reference) },
                refunds: refunds.map(Components.Schemas.Refund.init),
                notices: notices.map(Components.Schemas.Notice.init),
                payLink: payLink(bill.payToken),
                autoDebit: debit.map(Components.Schemas.AutoDebit.init)
            )
        ))))
    }

    func refundBill(_ input: Operations.RefundBill.Input) async throws -> Operations.RefundBill.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let reason = try InputValidation.text(request.reason, field: "reason", maxLength: 200)
        let refund = try await Bills(store: store, database: try database)
            .refund(input.path.number, fen: request.amountFen, reason: reason, waive: request.waive, by: try principal, now: now)
        return .created(.init(body: .json(.init(refund))))
    }

    func reconcileStatement(_ input: Operations.ReconcileStatement.Input) async throws -> Operations.ReconcileStatement.Output {
        guard case let .csv(body) = input.body else { throw APIError.unsupportedBody }
        let channel = PaymentChannel(rawValue: input.query.channel.rawValue)!
        let day = try Self.day(input.query.day)
        let instants = LocalDate(day)!.instants(in: configuration.city.timeZone)
        let text = String(decoding: try await [UInt8](collecting: body, upTo: configuration.limits.imports), as: UTF8.self)
        let lines: [Reconciliation.Line]
        do {
            lines = try ChannelStatement.lines(text)
        } catch {
            throw APIError.invalid(BillingErrorCode.statementUnreadable, "The statement cannot be read at \(error.description).")
        }
        let record = try await Reconciliations(store: store, database: try database).reconcile(
            channel: channel, day: day, from: instants.lowerBound * 1000, until: instants.upperBound * 1000, statement: lines, by: try principal, now: now
        )
        return .created(.init(body: .json(.init(record))))
    }

    func listReconciliations(_ input: Operations.ListReconciliations.Input) async throws -> Operations.ListReconciliations.Output {
        let limit = input.query.limit ?? 50
        guard (1...200).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 200.") }
        let day = try input.query.day.map { day throws(APIError) in try Self.day(day) }
        let before = try input.query.before.map { before throws(APIError) -> Int in
            guard before >= 1 else { throw APIError.badRequest(RequestErrorCode.invalidParameter, "before must be at least 1.") }
            return Int(before)
        }
        let records = try await Reconciliations(store: store, database: try database).list(
            channel: input.query.channel.flatMap { PaymentChannel(rawValue: $0.rawValue) }, day: day, differing: input.query.differing ?? false,
            before: before, limit: limit
        )
        return .ok(.init(body: .json(.init(
            items: records.map(Components.Schemas.ReconciliationResult.init), nextBefore: records.count == limit ? records.last.map { Int64($0.id) } : nil
        ))))
    }

    func listStatementRuns(_ input: Operations.ListStatementRuns.Input) async throws -> Operations.ListStatementRuns.Output {
        let limit = input.query.limit ?? 50
        guard (1...200).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 200.") }
        let runs = try await StatementRuns(store: store, database: try database).list(
            day: try input.query.day.map { day throws(APIError) in try Self.day(day) },
            status: input.query.status.flatMap { StatementRuns.Status(rawValue: $0.rawValue) }, limit: limit
        )
        return .ok(.init(body: .json(.init(items: runs.map {
            .init(
                channel: .init(rawValue: $0.channel.rawValue)!, day: $0.day, status: .init(rawValue: $0.status.rawValue)!, attempts: $0.attempts,
                reconciliationId: $0.reconciliationID.map(Int64.init), failure: $0.failure
            )
        }))))
    }

    /// A day as YYYY-MM-DD.
    static func day(_ text: String) throws(APIError) -> String {
        guard let day = LocalDate(text) else { throw APIError.badRequest(BillingErrorCode.invalidDay, "day '\(text)' is not a date such as 2026-11-20.") }
        return day.description
    }

    func listPermits(_ input: Operations.ListPermits.Input) async throws -> Operations.ListPermits.Output {
        let plate = try input.query.plate.map { text throws(APIError) in try InputValidation.plate(text) }
        if let plate { try await auditPlateLookup(plate, colour: .unknown, reason: input.query.reason, operation: "listPermits") }
        let permits = try await Permits(store: store, database: try database).list(plate: plate)
        return .ok(.init(body: .json(.init(items: permits.map(Components.Schemas.Permit.init)))))
    }

    func addPermit(_ input: Operations.AddPermit.Input) async throws -> Operations.AddPermit.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let given = request.value1
        let permit = Permit(
            id: try InputValidation.identifier(given.id, field: "id"), kind: Permit.Kind(rawValue: given.kind.rawValue)!,
            plate: try InputValidation.plate(given.plate), zoneID: try InputValidation.optionalIdentifier(given.zoneId, field: "zone_id"),
            from: given.from.milliseconds, until: given.until.milliseconds
        )
        if let zone = permit.zoneID, try await registry.zone(zone) == nil { throw APIError.invalid(RegistryErrorCode.zoneNotFound, "No zone \(zone).") }
        try await Permits(store: store, database: try database)
            .add(permit, note: try InputValidation.optionalText(request.value2.note, field: "note", maxLength: 200) ?? "", by: try principal, now: now)
        return .created(.init(body: .json(.init(permit))))
    }

    func listAuditLog(_ input: Operations.ListAuditLog.Input) async throws -> Operations.ListAuditLog.Output {
        let limit = input.query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let records = try await AuditLog(database: try database).records(subject: input.query.subject, after: Int(input.query.after ?? 0), limit: limit)
        return .ok(.init(body: .json(.init(
            items: records.map {
                .init(id: Int64($0.id), at: Date(milliseconds: $0.at), actor: $0.actor, role: $0.role, action: $0.action, subject: $0.subject,
                      detail: .init(additionalProperties: $0.detail))
            },
            nextAfter: records.count == limit ? records.last.map { Int64($0.id) } : nil
        ))))
    }
}

extension Components.Schemas.ReconciliationResult {
    init(_ record: Reconciliations.Record) {
        let result = record.result
        self.init(
            id: Int64(record.id), channel: .init(rawValue: record.channel.rawValue)!, day: record.day, matched: result.matched,
            ourTotalFen: result.ourTotalFen, theirTotalFen: result.theirTotalFen,
            differences: result.differences.map(Components.Schemas.ReconciliationDifference.init), actor: record.actor,
            reconciledAt: Date(milliseconds: record.importedAt)
        )
    }
}

extension Components.Schemas.ReconciliationDifference {
    init(_ difference: Reconciliation.Difference) {
        switch difference {
        case let .missingOnOurSide(line):
            self.init(kind: .missingOnOurSide, paymentId: line.paymentID, transactionId: line.transactionID, theirAmountFen: line.amountFen)
        case let .missingOnTheirs(line):
            self.init(kind: .missingOnTheirs, paymentId: line.paymentID, transactionId: line.transactionID, ourAmountFen: line.amountFen)
        case let .amountMismatch(ours, theirs):
            self.init(kind: .amountMismatch, paymentId: ours.paymentID, transactionId: theirs.transactionID, ourAmountFen: ours.amountFen, theirAmountFen: theirs.amountFen)
        }
    }
}
