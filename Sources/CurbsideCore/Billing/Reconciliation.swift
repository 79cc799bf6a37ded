/// A channel's daily statement set against the payments Curbside recorded as
/// received through that channel: every difference is listed, none is fixed
/// silently.
public struct Reconciliation: Sendable, Equatable {
    /// One payment, as either side records it.
    public struct Line: Sendable, Equatable {
        public var paymentID: String
        public var transactionID: String
        public var amountFen: Int

        public init(paymentID: String, transactionID: String, amountFen: Int) {
            self.paymentID = paymentID
            self.transactionID = transactionID
            self.amountFen = amountFen
        }
    }

    public enum Difference: Sendable, Equatable {
        /// The channel took the money; we have no record of it being received.
        case missingOnOurSide(Line)
        /// We recorded it as received; the channel's statement does not have it.
        case missingOnTheirs(Line)
        case amountMismatch(ours: Line, theirs: Line)
    }

    public var matched: Int
    public var ourTotalFen: Int
    public var theirTotalFen: Int
    public var differences: [Difference]

    /// A reconciliation as it was kept.
    public init(matched: Int, ourTotalFen: Int, theirTotalFen: Int, differences: [Difference]) {
        self.matched = matched
        self.ourTotalFen = ourTotalFen
        self.theirTotalFen = theirTotalFen
        self.differences = differences
    }

    /// Matches by our payment id; lines are listed in payment id order.
    public init(ours: [Line], theirs: [Line]) {
        let ourByID = Dictionary(ours.map { ($0.paymentID, $0) }) { first, _ in first }
        let theirByID = Dictionary(theirs.map { ($0.paymentID, $0) }) { first, _ in first }
        var differences: [Difference] = []
        var matched = 0
        for id in Set(ourByID.keys).union(theirByID.keys).sorted() {
            switch (ourByID[id], theirByID[id]) {
            case let (ours?, theirs?) where ours.amountFen == theirs.amountFen: matched += 1
            case let (ours?, theirs?): differences.append(.amountMismatch(ours: ours, theirs: theirs))
            case let (ours?, nil): differences.append(.missingOnTheirs(ours))
            case let (nil, theirs?): differences.append(.missingOnOurSide(theirs))
            case (nil, nil): break
            }
        }
        self.matched = matched
        ourTotalFen = ours.reduce(0) { $0 + $1.amountFen }
        theirTotalFen = theirs.reduce(0) { $0 + $1.amountFen }
        self.differences = differences
    }
}
