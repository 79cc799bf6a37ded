import ArgumentParser

@main
struct CurbsideBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curbside-bench",
        abstract: "Measure Curbside's speed and accuracy. Build with -c release for figures worth writing down.",
        subcommands: [
            BenchQuotes.self, BenchIngest.self, BenchAccuracy.self, BenchBeat.self, BenchReport.self, BenchFeed.self, BenchCDS.self, BenchPayments.self,
            BenchScale.self,
        ]
    )
}
