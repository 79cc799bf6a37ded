import CurbsideTestThreads
import Testing
@testable import CurbsideCore

@Suite("Bay codes", .ownThread)
struct BayCodeTests {
    @Test("Check characters follow ISO 7064 MOD 11-2 (the resident ID number's system)")
    func knownCheckCharacters() throws {
        // The first 17 digits of the standard's sample ID number 11010519491231002X end in X.
        #expect(Mod11_2.character(for: Mod11_2.checkValue(for: "11010519491231002".map { UInt8(String($0))! })) == "X")
        #expect(try BayCode(body: "1001001").rawValue == "10010019")
        #expect(try BayCode(body: "10010").rawValue.count == 6)
    }

    @Test("Typed input is normalised: spaces, dashes, full-width digits, lower-case x")
    func normalisation() throws {
        let code = try BayCode(body: "2001008")
        #expect(code.check == "X")
        for typed in ["2001008X", "2001008x", "2001 008-x", "２００１００８ｘ", "2001\u{3000}008—X", " 2001.008.X "] {
            #expect(try BayCode(parsing: typed) == code, "\(typed)")
        }
    }

    @Test("Every single-character error and adjacent transposition is caught", arguments: ["1001001", "99999", "12345678", "2001008", "30500"])
    func detection(body: String) throws {
        let code = Array(try BayCode(body: body).rawValue)
        let alphabet = Array("0123456789X")
        for index in code.indices {
            for replacement in alphabet where replacement != code[index] {
                var typo = code
                typo[index] = replacement
                #expect(throws: BayCodeError.self) { try BayCode(parsing: String(typo)) }
            }
        }
        for index in code.indices.dropLast() where code[index] != code[index + 1] {
            var typo = code
            typo.swapAt(index, index + 1)
            #expect(throws: BayCodeError.self, "\(String(typo))") { try BayCode(parsing: String(typo)) }
        }
    }

    @Test("Every body of five digits detects every substitution and transposition")
    func exhaustiveFiveDigitBodies() throws {
        var checked = 0
        for number in 0..<100_000 {
            let body = String(number).leftPadded(to: 5)
            let code = Array(try BayCode(body: body).rawValue)
            for index in code.indices.dropLast() where code[index] != code[index + 1] {
                var typo = code
                typo.swapAt(index, index + 1)
                #expect(!BayCode.isValid(String(typo)))
                checked += 1
            }
        }
        #expect(checked > 300_000)
    }

    @Test("Errors say what is wrong and name the expected check character")
    func errors() throws {
        #expect(throws: BayCodeError.empty) { try BayCode(parsing: " - ") }
        #expect(throws: BayCodeError.wrongLength(4)) { try BayCode(parsing: "1234") }
        #expect(throws: BayCodeError.wrongLength(10)) { try BayCode(parsing: "123456789X") }
        #expect(throws: BayCodeError.invalidCharacter("A", position: 3)) { try BayCode(parsing: "10A10013") }
        #expect(throws: BayCodeError.invalidCharacter("X", position: 2)) { try BayCode(parsing: "1X010013") }
        #expect(throws: BayCodeError.checkMismatch(entered: "10010014", expected: "9")) { try BayCode(parsing: "10010014") }
        let message = BayCodeError.checkMismatch(entered: "10010014", expected: "9").description
        #expect(message.contains("10010014") && message.contains("would be 9"))
    }

    @Test("Neighbours are the valid codes one substitution or swap away")
    func neighbours() throws {
        let code = try BayCode(body: "1001001")
        var typo = Array(code.rawValue)
        typo.swapAt(2, 3)
        let found = BayCode.neighbours(of: String(typo))
        #expect(found.contains(code))
        #expect(found.allSatisfy { BayCode.isValid($0.rawValue) })
        #expect(!found.contains { $0.rawValue == String(typo) })
    }

    @Test("A full code is the division code and the short code; another city's is refused")
    func fullCodes() throws {
        let heshan = try #require(DivisionCode("440784"))
        let full = try FullBayCode(parsing: "440784-1001 0019", city: heshan)
        #expect(full.rawValue == "44078410010019")
        #expect(try FullBayCode(parsing: "10010019", city: heshan) == full)
        #expect(throws: BayCodeError.foreignDivision("350300")) { try FullBayCode(parsing: "35030010010019", city: heshan) }
        #expect(DivisionCode("990000") == nil)
        #expect(DivisionCode("44078") == nil)
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: Swift.max(0, length - count)) + self
    }
}
