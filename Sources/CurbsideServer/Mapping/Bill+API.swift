import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension Components.Schemas.CitizenBill {
    /// A bill as a citizen sees it; masked, it keeps only what identifies the debt.
    init(_ stored: StoredBill, masked: Bool, clock: ZoneClock) {
        let bill = stored.bill
        func day(_ instant: Int64) -> String { String(LocalDateTime.format(instant / 1000, in: clock).prefix(10)) }
        self.init(
            number: bill.number, plate: masked ? Plate.masked(bill.plate) : bill.plate, plateColour: .init(bill.plateColour), zoneId: masked ? nil : bill.zoneID,
            day: day(bill.start), dueOn: day(bill.dueAt), chargeFen: bill.chargeFen, waivedFen: bill.waivedFen, amountDueFen: bill.amountDueFen,
            outstandingFen: stored.outstandingFen, basis: .init(rawValue: bill.basis.rawValue)!, status: .init(rawValue: stored.status.rawValue)!,
            dueAt: masked ? nil : Date(milliseconds: bill.dueAt),
            masked: masked, appeal: .init(rawValue: stored.appeal ?? "none"), bay: masked ? nil : bill.bay, start: masked ? nil : Date(milliseconds: bill.start), end: masked ? nil : Date(milliseconds: bill.end),
            tariffId: masked ? nil : bill.tariffID, tariffVersion: masked ? nil : bill.tariffVersion,
            lines: masked ? nil : bill.lines.map(Components.Schemas.BillLine.init), evidence: masked ? nil : bill.evidence
        )
    }
}

extension Components.Schemas.Bill {
    init(_ stored: StoredBill) {
        let bill = stored.bill
        self.init(
            number: bill.number, sessionId: bill.sessionID, bay: bill.bay, zoneId: bill.zoneID, plate: bill.plate, plateColour: .init(bill.plateColour),
            start: Date(milliseconds: bill.start), end: Date(milliseconds: bill.end), tariffId: bill.tariffID, tariffVersion: bill.tariffVersion,
            vehicle: .init(rawValue: bill.vehicle.rawValue)!, chargeFen: bill.chargeFen, waivedFen: bill.waivedFen, amountDueFen: bill.amountDueFen,
            outstandingFen: stored.outstandingFen, basis: .init(rawValue: bill.basis.rawValue)!, permitId: bill.permitID,
            status: .init(rawValue: stored.status.rawValue)!, lines: bill.lines.map(Components.Schemas.BillLine.init), evidence: bill.evidence,
            issuedAt: Date(milliseconds: bill.issuedAt), dueAt: Date(milliseconds: bill.dueAt),
            arrearsStage: stored.arrearsStage.map { .init(rawValue: $0.rawValue)! }, appeal: .init(rawValue: stored.appeal ?? "none")
        )
    }
}

extension Components.Schemas.BillLine {
    init(_ line: CurbsideCore.BillLine) {
        self.init(kind: line.kind, from: Date(milliseconds: line.from), to: Date(milliseconds: line.to), amountFen: line.amountFen, description: line.text)
    }
}

extension Components.Schemas.PlateColour {
    init(_ colour: CurbsideCore.PlateColour) {
        self = .init(rawValue: colour.rawValue) ?? .unknown
    }

    var domain: CurbsideCore.PlateColour { CurbsideCore.PlateColour(rawValue: rawValue) ?? .unknown }
}

extension Components.Schemas.Refund {
    init(_ refund: CurbsideStore.Refund) {
        self.init(
            id: refund.id, billNumber: refund.bill, paymentId: refund.payment, amountFen: refund.amountFen, waive: refund.waive,
            reason: refund.reason, actor: refund.actor, at: Date(milliseconds: refund.at), status: .init(rawValue: refund.status.rawValue)!,
            channelRefundId: refund.channelRefundID, attempts: refund.attempts, finishedAt: refund.finishedAt.map(Date.init(milliseconds:)),
            failure: refund.failure
        )
    }
}

extension Components.Schemas.Payment {
    init(_ payment: CurbsideStore.Payment, notifyURL: String?) {
        self.init(
            id: payment.id, channel: .init(rawValue: payment.channel.rawValue)!, purpose: .init(rawValue: payment.purpose.rawValue)!,
            amountFen: payment.amountFen, currency: .cny, status: .init(rawValue: payment.status.rawValue)!,
            allocations: payment.allocations.map { .init(bill: $0.bill, amountFen: $0.fen) }, sessionId: payment.sessionID,
            createdAt: Date(milliseconds: payment.createdAt), expiresAt: Date(milliseconds: payment.expiresAt), paidAt: payment.paidAt.map(Date.init(milliseconds:)),
            transactionId: payment.transactionID, appliedAt: payment.appliedAt.map(Date.init(milliseconds:)), collectedBy: payment.collectedBy,
            orderPlacedAt: payment.orderPlacedAt.map(Date.init(milliseconds:)), closedAt: payment.closedAt.map(Date.init(milliseconds:)), notifyUrl: notifyURL
        )
    }
}

extension Components.Schemas.Permit {
    init(_ permit: CurbsideCore.Permit) {
        self.init(
            id: permit.id, kind: .init(rawValue: permit.kind.rawValue)!, plate: permit.plate, zoneId: permit.zoneID,
            from: Date(milliseconds: permit.from), until: Date(milliseconds: permit.until)
        )
    }
}

extension Components.Schemas.Appeal {
    init(_ appeal: CurbsideStore.Appeal) {
        self.init(
            id: appeal.id, billNumber: appeal.bill, reason: .init(rawValue: appeal.reason.rawValue)!, text: appeal.text,
            status: .init(rawValue: appeal.status.rawValue)!, filedAt: Date(milliseconds: appeal.filedAt), decidedAt: appeal.decidedAt.map(Date.init(milliseconds:)),
            decidedBy: appeal.decidedBy, note: appeal.note, correctedFen: appeal.correctedFen
        )
    }
}
