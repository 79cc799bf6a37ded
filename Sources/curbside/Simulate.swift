import ArgumentParser

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate simulated device traffic with the sessions it must produce.",
        subcommands: [SimulateDay.self]
    )
}
