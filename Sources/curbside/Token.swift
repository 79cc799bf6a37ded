import ArgumentParser
import CurbsideCore
import CurbsideServer
import Foundation

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a bearer token for local use.",
        discussion: "Signed with CURBSIDE_JWT_SECRET, or with the key kept in the data directory, as `serve` does."
    )

    @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: String

    @Option(help: "Who the token speaks for: a user name, gateway id or account id.")
    var subject: String

    @Option(help: "Hours until the token expires.")
    var hours: Double = 12

    func validate() throws {
        guard Role(rawValue: role) != nil else {
            throw ValidationError("Unknown role '\(role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard !subject.isEmpty else { throw ValidationError("The subject must not be empty.") }
        guard hours > 0, hours <= 24 * 366 else { throw ValidationError("--hours must be between 0 and 8784.") }
    }

    func run() async throws {
        let configuration = try CommandEnvironment.configuration()
        let tokens = try await CurbsideApp.tokenService(configuration)
        print(try await tokens.issue(for: Principal(subject: subject, role: Role(rawValue: role)!), validFor: hours * 3600))
    }
}
