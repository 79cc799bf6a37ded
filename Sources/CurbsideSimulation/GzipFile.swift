import CZlib
import Foundation

/// Reads and writes gzip files. The day fixtures are large and repetitive;
/// compressed they stay small in the repository.
public enum GzipFile {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String) throws -> Data {
        guard let file = gzopen(path, "rb") else { throw Failure(description: "cannot open \(path)") }
        defer { gzclose(file) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 { throw Failure(description: "\(path) is not a readable gzip file") }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<Int(count)])
        }
    }

    /// The output has no timestamp, so the same data always gives the same bytes.
    public static func write(_ data: Data, to path: String) throws {
        guard let file = gzopen(path, "wb9") else { throw Failure(description: "cannot create \(path)") }
        let written = data.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, Int(written) == data.count else { throw Failure(description: "cannot write \(path)") }
    }
}
