import CurbsideRender

/// `curbside-bench scale`'s figures as one PNG: a panel per hot path, a bar
/// per city measured (grouped by bays, shaded by days of history), each
/// panel on its own millisecond axis, so how a cost grows with bays and with
/// history reads at a glance.
enum BenchScaleChart {
    /// The panels: what each shows, and its time in ms from a city's figures.
    static let panels: [(title: String, ms: @Sendable (BenchScaleFigures) -> Double)] = [
        ("INGEST P99 BATCH", { $0.ingest.map { $0.percentile(0.99).seconds * 1000 } ?? 0 }),
        ("SESSIONS CATCH UP", { ($0.ingest?.caughtUp.seconds ?? 0) * 1000 }),
        ("BEAT LIST", { read($0, "beat list") }),
        ("BAY INSPECTION", { read($0, "bay inspection") }),
        ("PLATE INSPECTION", { read($0, "plate inspection") }),
        ("AVAILABILITY", { read($0, "availability") }),
        ("MONTH REPORT", { read($0, "month's report") }),
        ("CDS AGGREGATES, A DAY", { read($0, "CDS aggregates, a day") }),
        ("RETENTION, A DAY", { $0.retentionTime.seconds * 1000 }),
        ("REPLAY ONE BAY", { $0.replay.seconds * 1000 }),
    ]

    static func read(_ figures: BenchScaleFigures, _ name: String) -> Double {
        BenchScaleFigures.median(figures.reads[name] ?? []).seconds * 1000
    }

    static let shades = [Canvas.Colour(166, 189, 219), Canvas.Colour(54, 144, 192), Canvas.Colour(4, 90, 141), Canvas.Colour(2, 56, 88)]

    static func render(_ runs: [BenchScaleFigures]) -> PNGImage {
        let columns = 5, panelWidth = 250, panelHeight = 200
        let rows = (panels.count + columns - 1) / columns
        let width = columns * panelWidth, height = 60 + rows * panelHeight + 40
        var canvas = Canvas(width: width, height: height)
        canvas.text("COST AGAINST BAYS AND DAYS OF HISTORY (MS, MEDIAN)", x: width / 2, y: 14, scale: 2, align: .centre)
        let allDays = Array(Set(runs.map(\.days))).sorted()
        for (index, panel) in panels.enumerated() {
            let left = (index % columns) * panelWidth, top = 50 + (index / columns) * panelHeight
            let plot = (left: left + 16, top: top + 30, right: left + panelWidth - 16, bottom: top + panelHeight - 40)
            canvas.text(panel.title, x: left + panelWidth / 2, y: top + 8, align: .centre)
            canvas.horizontalLine(x: plot.left, y: plot.bottom, length: plot.right - plot.left, .ink)
            let values = runs.map(panel.ms)
            let largest = max(values.max() ?? 0, 0.001)
            let slot = Double(plot.right - plot.left) / Double(max(1, runs.count))
            for (position, run) in runs.enumerated() {
                let value = values[position]
                let barHeight = Int(value / largest * Double(plot.bottom - plot.top - 12))
                let x = plot.left + Int(slot * Double(position)) + 3
                let shade = shades[min(shades.count - 1, allDays.firstIndex(of: run.days) ?? 0)]
                canvas.fill(x: x, y: plot.bottom - barHeight, width: max(2, Int(slot) - 6), height: barHeight, shade)
                canvas.text(label(value), x: x + Int(slot) / 2 - 3, y: plot.bottom - barHeight - 10, align: .centre)
                canvas.text(bays(run.bays), x: x + Int(slot) / 2 - 3, y: plot.bottom + 6, align: .centre)
                canvas.text("\(run.days)D", x: x + Int(slot) / 2 - 3, y: plot.bottom + 18, align: .centre)
            }
        }
        canvas.text("BARS: BAYS AND DAYS OF HISTORY OF EACH CITY MEASURED, EACH PANEL ON ITS OWN SCALE", x: width / 2, y: height - 24, align: .centre)
        return canvas.image
    }

    /// Milliseconds as the axis counts them; from 10,000 in thousands, as the bays are (`14K` is 14,300 ms).
    static func label(_ ms: Double) -> String {
        ms >= 10_000 ? "\(Int((ms / 1000).rounded()))K" : ms >= 100 ? "\(Int(ms.rounded()))" : String(format: "%.1f", ms)
    }

    static func bays(_ count: Int) -> String {
        count >= 10_000 ? "\(count / 1000)K" : "\(count)"
    }
}
