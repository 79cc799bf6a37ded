/// The VAT inside a tax-inclusive amount, as an invoice states it: the
/// amount before tax and the tax, in fen, adding up to the amount paid.
public struct InvoiceTax: Sendable, Equatable {
    /// Rates are in hundredths of a percent: 900 is 9 %.
    public static let highestRate = 10_000

    public var netFen: Int
    public var taxFen: Int

    public init(netFen: Int, taxFen: Int) {
        self.netFen = netFen
        self.taxFen = taxFen
    }

    /// Tax = amount x rate / (1 + rate), rounded half up to the fen. The amount comes from the ledger
    /// (at most `Ledger.maxEntryFen` per entry, summed over an invoice's few bills), so the product fits.
    public init(includedIn amountFen: Int, rate: Int) {
        precondition((0...Self.highestRate).contains(rate) && amountFen >= 0 && amountFen <= Int.max / (2 * Self.highestRate))
        let tax = (2 * amountFen * rate + (10_000 + rate)) / (2 * (10_000 + rate))
        self.netFen = amountFen - tax
        self.taxFen = tax
    }

    /// Reads a rate written as a percent with at most two decimals ("9", "6", "1.5"); nil otherwise.
    public static func rate(percent text: String) -> Int? {
        guard let hundredths = Money.fen(fromYuan: text), hundredths <= highestRate else { return nil }
        return hundredths
    }
}
