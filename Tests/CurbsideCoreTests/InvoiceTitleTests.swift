import CurbsideCore
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Invoice titles and tax", .ownThread)
struct InvoiceTitleTests {
    @Test("Unified social credit codes: published ones read, any one-character typo or swap caught")
    func taxpayerIDs() {
        for code in ["9144030071526726XG", "91110000802100433B", "91350100M000100Y43"] {
            #expect(TaxpayerID(code)?.rawValue == code)
            #expect(TaxpayerID(code.lowercased().replacingOccurrences(of: "0", with: "0 "))?.rawValue == code, "spaces and case do not matter")
            let characters = Array(code)
            for index in characters.indices {
                for replacement in Array("0123456789ABCDEFGHJKLMNPQRTUWXY") where replacement != characters[index] {
                    var typo = characters
                    typo[index] = replacement
                    #expect(TaxpayerID(String(typo)) == nil, "\(String(typo))")
                }
            }
            for index in characters.indices.dropLast() where characters[index] != characters[index + 1] {
                var swapped = characters
                swapped.swapAt(index, index + 1)
                #expect(TaxpayerID(String(swapped)) == nil, "\(String(swapped))")
            }
        }
        // Letters outside the alphabet (I, O, Z, S, V), other lengths.
        for text in ["9144030071526726XI", "9144030071526726X", "9144030071526726XGG", ""] { #expect(TaxpayerID(text) == nil) }
    }

    @Test("A title: a person without a taxpayer id, a company with a valid one; names trimmed and bounded")
    func titles() throws {
        let person = try InvoiceTitle(kind: .personal, name: "  张三 ", taxpayerID: " ")
        #expect(person.name == "张三" && person.taxpayerID == nil)
        let company = try InvoiceTitle(kind: .company, name: "腾讯科技（深圳）有限公司", taxpayerID: "9144030071526726xg")
        #expect(company.taxpayerID?.rawValue == "9144030071526726XG")
        #expect(throws: InvoiceTitle.Problem.taxpayerIDMissing) { try InvoiceTitle(kind: .company, name: "某公司", taxpayerID: nil) }
        #expect(throws: InvoiceTitle.Problem.taxpayerIDInvalid("9144030071526726XH")) { try InvoiceTitle(kind: .company, name: "某公司", taxpayerID: "9144030071526726XH") }
        #expect(throws: InvoiceTitle.Problem.taxpayerIDNotForPersons) { try InvoiceTitle(kind: .personal, name: "张三", taxpayerID: "9144030071526726XG") }
        #expect(throws: InvoiceTitle.Problem.nameEmpty) { try InvoiceTitle(kind: .personal, name: " \n", taxpayerID: nil) }
        #expect(throws: InvoiceTitle.Problem.nameTooLong(80)) { try InvoiceTitle(kind: .personal, name: String(repeating: "张", count: 81), taxpayerID: nil) }
    }

    @Test("The tax inside an amount: half up to the fen, net and tax adding up to the amount, at every rate and amount")
    func tax() {
        // 10.90 yuan at 9 %: 10.00 and 0.90.
        #expect(InvoiceTax(includedIn: 1090, rate: 900) == InvoiceTax(netFen: 1000, taxFen: 90))
        // 6.00 yuan at 9 %: 0.4954... rounds to 0.50; at 6 %: 0.3396... to 0.34.
        #expect(InvoiceTax(includedIn: 600, rate: 900).taxFen == 50 && InvoiceTax(includedIn: 600, rate: 600).taxFen == 34)
        #expect(InvoiceTax(includedIn: 0, rate: 900).taxFen == 0 && InvoiceTax(includedIn: 500, rate: 0).taxFen == 0)
        for rate in [0, 1, 300, 600, 900, 1300, 10_000] {
            for amount in [1, 2, 99, 100, 1_234, 99_999, 1_000_000_000, 50_000_000_000] {
                let tax = InvoiceTax(includedIn: amount, rate: rate)
                #expect(tax.netFen + tax.taxFen == amount)
                // Within half a fen of the exact amount x rate / (1 + rate).
                let exact = Double(amount) * Double(rate) / Double(10_000 + rate)
                #expect(abs(Double(tax.taxFen) - exact) <= 0.5 + 1e-6, "\(amount) at \(rate)")
            }
        }
        #expect(InvoiceTax.rate(percent: "9") == 900 && InvoiceTax.rate(percent: "1.5") == 150 && InvoiceTax.rate(percent: "100") == 10_000)
        for text in ["101", "-1", "9%", "9.001", ""] { #expect(InvoiceTax.rate(percent: text) == nil, "\(text)") }
    }
}
