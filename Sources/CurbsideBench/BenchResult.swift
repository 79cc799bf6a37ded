import Foundation

/// Throughput and latency of one ingest run.
struct BenchResult: CustomStringConvertible {
    var events: Int
    var elapsed: Duration
    /// Per batch, sorted.
    var latencies: [Duration]
    /// The slowest batches with their place in the send order (0 is the first sent), slowest first.
    var slowest: [(index: Int, latency: Duration)]
    /// From the last acknowledgment until every batch's sessions and device health were written.
    var caughtUp: Duration

    var eventsPerSecond: Double { Double(events) / elapsed.seconds }

    func percentile(_ p: Double) -> Duration {
        latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
    }

    var description: String {
        "\(BenchFormat.rate(eventsPerSecond)) events/s over \(String(format: "%.1f", elapsed.seconds)) s; batch latency p50 \(BenchFormat.ms(percentile(0.5))), p99 \(BenchFormat.ms(percentile(0.99))), max \(BenchFormat.ms(latencies.last ?? .zero)); sessions caught up \(BenchFormat.ms(caughtUp)) after the last batch; slowest batches "
            + slowest.map { "#\($0.index) \(BenchFormat.ms($0.latency))" }.joined(separator: ", ")
    }
}

enum BenchFormat {
    static func rate(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? String(Int(value))
    }

    static func ms(_ duration: Duration) -> String {
        String(format: "%.0f ms", duration.seconds * 1000)
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
