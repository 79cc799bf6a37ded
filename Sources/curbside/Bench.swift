import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Curbside's speed. Build with -c release for figures worth writing down.",
        subcommands: [BenchQuotes.self, BenchIngest.self, BenchAccuracy.self, BenchBeat.self, BenchReport.self, BenchFeed.self, BenchCDS.self]
    )
}
