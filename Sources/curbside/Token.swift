import ArgumentParser
import CurbsideCore
import CurbsideServer
import Foundation

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a bearer token for local use.",
        discussion: """
            Signed with CURBSIDE_JWT_SECRET, or with the key kept in the data directory, as `serve` does. Tokens are only as \
            good as the account behind them, so the account is made first where there is none, in the database the \
            environment names: a staff account (that no password signs in), a gateway, or a citizen's account on --phone.
            """
    )

    @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: String

    @Option(help: "Who the token speaks for: a staff id, gateway id or citizen account id.")
    var subject: String

    @Option(help: "Hours until the token expires (at most 168 for staff, 720 for citizens, 8784 for gateways).")
    var hours: Double = 12

    @Option(help: "For a citizen's account that does not exist yet: the phone it signs in with.")
    var phone: String?

    func validate() throws {
        guard let role = Role(rawValue: role) else {
            throw ValidationError("Unknown role '\(self.role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard RegistryID.isValid(subject) else { throw ValidationError("The subject must be 1-\(RegistryID.maxLength) letters, digits, '-', '_', '.' or ':'.") }
        let most = TokenService.maximumLifetime(role) / 3600
        guard hours > 0, hours <= most else { throw ValidationError("--hours must be more than 0 and at most \(Int(most)) for a \(role.rawValue) token.") }
    }

    func run() async throws {
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration, level: .warning)
        let principal = Principal(subject: subject, role: Role(rawValue: role)!)
        let token = try await CommandEnvironment.withApplication(logLevel: .warning) { app in
            let options = CurbsideApp.Options(migrate: configuration.store.autoMigrate, loadTariffs: false, seedRegistry: false, routes: false)
            let store = try await CurbsideApp.configure(app, configuration, options: options)
            return try await CurbsideApp.localToken(principal, validFor: hours * 3600, phone: phone, store: store, database: app.db, configuration: configuration)
        }
        print(token)
    }
}
