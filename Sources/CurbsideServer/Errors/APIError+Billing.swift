import CurbsideCore
import CurbsideStore

extension APIError {
    init(_ error: BillingError) {
        switch error {
        case let .billNotFound(number):
            self = .notFound(BillingErrorCode.billNotFound, number)
        case let .nothingOwed(number):
            self = APIError(.conflict, BillingErrorCode.nothingOwed, "Bill \(number) owes nothing.")
        case let .walletShort(balance, needed):
            self = .invalid(BillingErrorCode.walletShort, "The wallet holds \(Money.display(balance)); the payment needs \(Money.display(needed)).")
        case let .sessionNotOpen(id):
            self = APIError(.conflict, BillingErrorCode.sessionNotOpen, "Session \(id) has ended; pay its bill once it is issued.")
        case let .ledger(refusal):
            self = APIError(refusal)
        case let .duplicateID(id):
            self = APIError(.conflict, BillingErrorCode.duplicateID, "\(id) is taken.")
        case let .codeTooSoon(seconds):
            self = .tooMany(CitizenErrorCode.codeTooSoon, "A code was sent less than a minute ago; ask again in \(seconds) s.", retryAfter: seconds)
        case let .tooManyCodes(phone, seconds):
            self = phone
                ? .tooMany(CitizenErrorCode.tooManyCodes, "This phone has had as many sign-in codes as it may this hour; ask again in \(seconds) s.", retryAfter: seconds)
                : .tooMany(CitizenErrorCode.codesPaused, "Sign-in codes are paused for a while: more were asked for this hour than the service sends; try again later.", retryAfter: seconds)
        case .codeInvalid:
            self = APIError(.unauthorized, CitizenErrorCode.codeInvalid, "The code is wrong, expired or used up; ask for a new one.")
        case .proofMismatch:
            self = .invalid(CitizenErrorCode.proofMismatch, "That is not the token of a notice about this plate and colour (the part of the notice's payment link after /p/).")
        case let .permitInvalid(message):
            self = .invalid(BillingErrorCode.permitInvalid, message)
        case let .notYourBill(number):
            self = APIError(.forbidden, CitizenErrorCode.notYourBill, "Bill \(number) is not of a plate bound to your account; bind the plate first.")
        case let .appealOpen(id):
            self = APIError(.conflict, EnforcementErrorCode.appealOpen, "The bill has appeal \(id) in progress.")
        case let .appealNotFound(id):
            self = .notFound(EnforcementErrorCode.appealNotFound, id)
        case let .appealDecided(id):
            self = APIError(.conflict, EnforcementErrorCode.appealDecided, "Appeal \(id) was decided before.")
        case let .tooManyPlates(limit):
            self = .invalid(CitizenErrorCode.tooManyPlates, "An account holds at most \(limit) plates; remove one first.")
        case let .autoPayTaken(plate):
            self = APIError(.conflict, CitizenErrorCode.autoPayTaken, "\(plate) already pays by itself through another account.")
        case let .notInvoiceable(number):
            self = APIError(.conflict, BillingErrorCode.notInvoiceable, "Bill \(number) still owes, or nothing was paid on it: an invoice states money paid.")
        case let .alreadyInvoiced(bill, invoice):
            self = APIError(.conflict, BillingErrorCode.alreadyInvoiced, "Bill \(bill)'s money is on invoice \(invoice) already.")
        case let .tooManyBills(limit):
            self = .invalid(BillingErrorCode.tooManyBills, "An invoice covers from 1 to \(limit) bills.")
        case let .invoicingUnavailable(reason):
            self = APIError(.conflict, BillingErrorCode.invoicingUnavailable, reason)
        case let .invoiceNotFound(id):
            self = .notFound(BillingErrorCode.invoiceNotFound, id)
        case let .invoiceNotIssued(id):
            self = APIError(.conflict, BillingErrorCode.invoiceNotIssued, "Invoice \(id) is not issued: only an issued invoice can be reversed.")
        }
    }

    init(_ refusal: Ledger.Refusal) {
        switch refusal {
        case let .unknownBill(number):
            self = .notFound(BillingErrorCode.billNotFound, number)
        case let .alreadyIssued(number):
            self = APIError(.conflict, BillingErrorCode.alreadyIssued, "Bill \(number) was issued before.")
        case .emptyPayment:
            self = .invalid(BillingErrorCode.emptyPayment, "A payment must cover at least one bill with something owed.")
        case let .overpayment(bill, owed):
            self = .invalid(BillingErrorCode.overpayment, "Bill \(bill) owes \(Money.display(owed)).")
        case let .refundExceedsPaid(bill, paid):
            self = .invalid(BillingErrorCode.refundExceedsPaid, "Bill \(bill) has \(Money.display(paid)) paid and not refunded; a refund cannot exceed it.")
        case let .exceedsOutstanding(bill, outstanding):
            self = .invalid(BillingErrorCode.exceedsOutstanding, "Bill \(bill): the amount exceeds what it allows (\(Money.display(outstanding))); a refund without waive returns an overpayment only.")
        case let .correctionRaises(bill, charge):
            self = .invalid(BillingErrorCode.correctionRaises, "Bill \(bill) charges \(Money.display(charge)); a correction may lower it, never raise it.")
        case .notPositive:
            self = .invalid(BillingErrorCode.amountNotPositive, "The amount must be at least 1 fen.")
        case let .tooLarge(limit):
            self = .invalid(BillingErrorCode.amountTooLarge, "No single amount may exceed \(Money.display(limit)).")
        case let .cashExceedsBill(bill, limit):
            self = .invalid(BillingErrorCode.cashExceedsBill, "Bill \(bill) takes at most \(Money.display(limit)) in cash: what it asked for and \(Money.display(Ledger.cashExcessFen)) the officer had no change for.")
        }
    }
}
