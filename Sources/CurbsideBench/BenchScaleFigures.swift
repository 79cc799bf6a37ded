import CurbsideStore
import Foundation

/// What `curbside-bench scale` measured on one city.
struct BenchScaleFigures: CustomStringConvertible {
    var bays: Int
    var days: Int
    var load: Duration = .zero
    var storage: BenchStorage?
    var ingest: BenchResult?
    /// Request times, sorted, by what was asked.
    var reads: [String: [Duration]] = [:]
    var retention: Retention.Run?
    var retentionTime: Duration = .zero
    var replay: Duration = .zero

    static func median(_ times: [Duration]) -> Duration { times.isEmpty ? .zero : times[times.count / 2] }

    static func p99(_ times: [Duration]) -> Duration {
        times.isEmpty ? .zero : times[min(times.count - 1, Int((Double(times.count) * 0.99).rounded(.up)) - 1)]
    }

    var description: String {
        var lines = ["\(BenchFormat.rate(Double(bays))) bays, \(days) days of history (written in \(String(format: "%.0f", load.seconds)) s)"]
        if let storage { lines.append("  storage: \(storage)") }
        if let ingest { lines.append("  ingest of the sample district's next day: \(ingest)") }
        for (name, times) in reads.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name): median \(BenchFormat.ms(Self.median(times))), p99 \(BenchFormat.ms(Self.p99(times))) over \(times.count)")
        }
        if let retention {
            lines.append("  retention's run over one day: \(String(format: "%.1f", retentionTime.seconds)) s (\(retention))")
        }
        lines.append("  replay of one bay: \(BenchFormat.ms(replay))")
        return lines.joined(separator: "\n")
    }
}
