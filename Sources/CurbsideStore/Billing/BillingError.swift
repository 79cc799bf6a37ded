import CurbsideCore

/// Why a billing operation was refused. A refused operation writes nothing.
public enum BillingError: Error, Equatable, Sendable {
    case billNotFound(String)
    /// The bill owes nothing (paid, waived or void).
    case nothingOwed(String)
    /// The wallet holds less than the payment.
    case walletShort(balance: Int, needed: Int)
    /// Prepaying needs a car still parked.
    case sessionNotOpen(String)
    case ledger(Ledger.Refusal)
    /// The same request asked for something else: a payment, refund or permit id used twice.
    case duplicateID(String)
    /// A sign-in code was asked for too soon after the last.
    case codeTooSoon(retryAfterSeconds: Int)
    /// The phone's codes for the hour (or, not `phone`, every phone's together) are used up.
    case tooManyCodes(phone: Bool, retryAfterSeconds: Int)
    /// Wrong, expired or used up.
    case codeInvalid
    /// The notice token given to prove a plate is not of a notice about that plate.
    case proofMismatch
    case permitInvalid(String)
    /// A citizen appeals only bills of plates bound to their account.
    case notYourBill(String)
    /// The bill has an appeal in progress.
    case appealOpen(String)
    case appealNotFound(String)
    /// The appeal was decided before.
    case appealDecided(String)
    /// An account holds a few plates only.
    case tooManyPlates(limit: Int)
    /// Another citizen's account pays this plate by itself.
    case autoPayTaken(String)
    /// An invoice covers paid bills only: the bill still owes, or nothing was paid on it.
    case notInvoiceable(String)
    /// The bill's money is on a live invoice already.
    case alreadyInvoiced(bill: String, invoice: String)
    case tooManyBills(limit: Int)
    /// No configured provider can invoice this money, and why.
    case invoicingUnavailable(String)
    case invoiceNotFound(String)
    /// Only an issued invoice can be reversed.
    case invoiceNotIssued(String)
}
