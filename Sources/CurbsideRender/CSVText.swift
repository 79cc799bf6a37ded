/// Comma-separated text as RFC 4180 writes it.
public enum CSVText {
    /// Fields with commas, quotes or line breaks are quoted, quotes doubled; lines end in CRLF.
    public static func lines(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { field in
                field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}
