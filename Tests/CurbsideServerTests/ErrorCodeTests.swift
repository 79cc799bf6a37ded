@testable import CurbsideServer
import CurbsideCore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Error codes", .ownThread)
struct ErrorCodeTests {
    /// docs/api.md's table of codes: area → codes.
    static func documented() throws -> [String: Set<String>] {
        let text = try String(contentsOfFile: RepositoryPaths.root + "/docs/api.md", encoding: .utf8)
        let section = try #require(text.range(of: "| area | codes |")).upperBound
        var table: [String: Set<String>] = [:]
        for line in text[section...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).prefix(while: { $0.hasPrefix("| ") }) {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, cells[1].hasPrefix("`") else { continue }
            table[cells[0]] = Set(cells[1].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) })
        }
        return table
    }

    @Test("docs/api.md lists every area's codes, and only those")
    func documentedCodes() throws {
        let documented = try Self.documented()
        func codes<Code: ErrorCode>(_ type: Code.Type) -> (String, Set<String>) { (Code.area, Set(Code.allCases.map(\.rawValue))) }
        let areas = ErrorCodes.areas.map { codes($0) }
        #expect(Set(documented.keys) == Set(areas.map(\.0)))
        for (area, codes) in areas {
            #expect(documented[area] == codes, "\(area)")
        }
    }

    @Test("No code belongs to two areas")
    func codesAreUnique() {
        func codes<Code: ErrorCode>(_ type: Code.Type) -> [String] { Code.allCases.map(\.rawValue) }
        let all = ErrorCodes.areas.flatMap { codes($0) }
        #expect(all.count == Set(all).count)
    }

    @Test("Bay code and plate refusals carry Core's spelling of their code (import issues use it too)")
    func coreSpellings() {
        let bayCodes: [BayCodeError] = [.empty, .invalidCharacter("A", position: 1), .wrongLength(3), .checkMismatch(entered: "1", expected: "2"), .foreignDivision("110000")]
        for error in bayCodes {
            #expect(RegistryErrorCode(error).rawValue == error.code)
        }
        let plates: [PlateError] = [.empty, .unknownProvince("X"), .wrongLength(2), .badFormat("粤B")]
        for error in plates {
            #expect(PlateErrorCode(error).rawValue == error.code)
        }
    }
}
