import ArgumentParser

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate the world around Curbside: a day of device traffic, the payment channels, or the SMS providers.",
        subcommands: [SimulateDay.self, SimulateChannels.self, SimulateSMS.self]
    )
}
