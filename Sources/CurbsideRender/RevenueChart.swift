import CurbsideCore

/// Revenue by day as a bar chart: for each day of the report, what was
/// charged (net of exemptions and discounts) beside what was received (net of
/// refunds), on a yuan axis with round gridlines.
public enum RevenueChart {
    static let receivableColour = Canvas.Colour(166, 189, 219)
    static let receivedColour = Canvas.Colour(4, 90, 141)

    public static func render(_ report: RevenueReport) -> PNGImage {
        let days = report.days
        let width = max(480, 90 + days.count * 28), height = 400
        let plot = (left: 80, top: 44, right: width - 20, bottom: height - 60)
        var canvas = Canvas(width: width, height: height)
        canvas.text("REVENUE BY DAY \(report.period) (YUAN)", x: width / 2, y: 14, scale: 2, align: .centre)

        let largest = days.map { max($0.figures.netReceivableFen, $0.figures.netReceivedFen) }.max() ?? 0
        let step = gridStep(forMaximumFen: largest)
        let top = max(step, (largest + step - 1) / step * step)
        func y(_ fen: Int) -> Int { plot.bottom - Int((Int64(max(0, fen)) * Int64(plot.bottom - plot.top)) / Int64(top)) }
        var line = 0
        while line <= top {
            canvas.horizontalLine(x: plot.left, y: y(line), length: plot.right - plot.left, line == 0 ? .ink : .grid)
            canvas.text(Money.yuan(line).replacingOccurrences(of: ".00", with: ""), x: plot.left - 6, y: y(line) - 3, align: .right)
            line += step
        }

        let slot = Double(plot.right - plot.left) / Double(max(1, days.count))
        let bar = max(2, Int(slot * 0.38))
        for (index, day) in days.enumerated() {
            let centre = plot.left + Int(slot * (Double(index) + 0.5))
            let receivable = day.figures.netReceivableFen, received = day.figures.netReceivedFen
            canvas.fill(x: centre - bar, y: y(receivable), width: bar, height: plot.bottom - y(receivable), receivableColour)
            canvas.fill(x: centre, y: y(received), width: bar, height: plot.bottom - y(received), receivedColour)
            canvas.text(String(day.key.suffix(2)), x: centre, y: plot.bottom + 8, align: .centre)
        }
        canvas.fill(x: plot.left, y: height - 28, width: 12, height: 12, receivableColour)
        canvas.text("CHARGED, NET", x: plot.left + 18, y: height - 26)
        canvas.fill(x: plot.left + 130, y: height - 28, width: 12, height: 12, receivedColour)
        canvas.text("RECEIVED, NET", x: plot.left + 148, y: height - 26)
        return canvas.image
    }

    /// 1, 2 or 5 times a power of ten yuan, giving four to ten gridlines.
    static func gridStep(forMaximumFen fen: Int) -> Int {
        var magnitude = 100
        while true {
            for factor in [1, 2, 5] where fen <= factor * magnitude * 8 {
                return factor * magnitude
            }
            magnitude *= 10
        }
    }
}
