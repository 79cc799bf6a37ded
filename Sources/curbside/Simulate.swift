import ArgumentParser

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate the world around Curbside: a day of device traffic, or the payment channels.",
        subcommands: [SimulateDay.self, SimulateChannels.self]
    )
}
