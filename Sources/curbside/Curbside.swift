import ArgumentParser

@main
struct Curbside: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside",
        abstract: "On-street paid parking for a city: registry, devices, tariffs, billing, enforcement.",
        discussion: "Configuration comes from the environment; see README.md. With none, an SQLite database under .curbside/ is used.",
        subcommands: [Demo.self, Serve.self, Migrate.self, Backup.self, Restore.self, Import.self, Token.self, Quote.self, Replay.self, Report.self, Simulate.self]
    )
}
