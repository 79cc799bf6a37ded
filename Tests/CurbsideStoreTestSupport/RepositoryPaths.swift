import Foundation

/// Paths of the repository the tests are built from.
public enum RepositoryPaths {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var zones: String { root + "/Zones" }
    public static var tariffs: String { root + "/Tariffs" }
    public static var fixtures: String { root + "/Fixtures" }
}
