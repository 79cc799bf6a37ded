import CurbsideCore
import CurbsideStore

/// Reads the concession contract file, checked as strictly as tariff files.
public enum ConcessionFile {
    public static func load(_ path: String) throws -> ConcessionContract {
        let (text, _) = try TariffFiles.read(path)
        return try TariffFiles.decode(ConcessionDocument.self, text, path).contract
    }
}
