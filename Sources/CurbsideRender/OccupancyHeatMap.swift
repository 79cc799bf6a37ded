import CurbsideCore

/// Occupancy by hour of the day and zone as a heat map: a row per zone, a
/// column per local hour, each cell shaded from white (empty) to deep blue
/// (full) and labelled with its percentage.
public enum OccupancyHeatMap {
    static let empty = Canvas.Colour(247, 251, 255)
    static let full = Canvas.Colour(8, 48, 107)

    public static func render(_ report: RevenueReport) -> PNGImage {
        let zones = report.hourlyOccupancy.keys.sorted()
        let labelWidth = max(60, (zones.map { BitmapFont.measure($0) }.max() ?? 0) + 16)
        let cell = (width: 34, height: 26)
        let left = labelWidth, top = 56
        let width = max(left + 24 * cell.width + 20, 420), height = top + max(1, zones.count) * cell.height + 56
        var canvas = Canvas(width: width, height: height)
        canvas.text("OCCUPANCY BY HOUR AND ZONE \(report.period)", x: width / 2, y: 12, scale: 2, align: .centre)
        for hour in 0..<24 {
            canvas.text(String(hour), x: left + hour * cell.width + cell.width / 2, y: top - 12, align: .centre)
        }
        for (row, zone) in zones.enumerated() {
            let y = top + row * cell.height
            canvas.text(zone, x: left - 8, y: y + cell.height / 2 - 3, align: .right)
            for (hour, hundredths) in report.hourlyOccupancy[zone, default: []].enumerated() {
                let shade = shade(hundredths)
                canvas.fill(x: left + hour * cell.width, y: y, width: cell.width - 1, height: cell.height - 1, shade)
                let ink: Canvas.Colour = hundredths > 5_000 ? .white : .ink
                canvas.text(String((hundredths + 50) / 100), x: left + hour * cell.width + cell.width / 2, y: y + cell.height / 2 - 3, align: .centre, ink)
            }
        }
        let legend = top + max(1, zones.count) * cell.height + 20
        for step in 0...100 {
            canvas.fill(x: left + step * 3, y: legend, width: 3, height: 12, shade(step * 100))
        }
        canvas.text("0%", x: left, y: legend + 16)
        canvas.text("50%", x: left + 150, y: legend + 16, align: .centre)
        canvas.text("100% OF BAYS OCCUPIED", x: left + 300, y: legend + 16)
        return canvas.image
    }

    /// The cell colour of an occupancy in hundredths of a percent.
    static func shade(_ hundredths: Int) -> Canvas.Colour {
        empty.mixed(with: full, Double(hundredths) / 10_000)
    }
}
