import CurbsideCore
import CurbsideRender
import Foundation

/// A report written to a folder: its CSV tables and its two charts.
public enum ReportFiles {
    /// Writes the files and returns their names, in the order written.
    @discardableResult
    public static func write(_ report: RevenueReport, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, text) in ReportCSV.files(report) {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name), options: .atomic)
            written.append(name)
        }
        for (name, image) in [("revenue.png", RevenueChart.render(report)), ("occupancy.png", OccupancyHeatMap.render(report))] {
            try Data(try image.encoded()).write(to: URL(fileURLWithPath: directory + "/" + name), options: .atomic)
            written.append(name)
        }
        return written
    }
}
