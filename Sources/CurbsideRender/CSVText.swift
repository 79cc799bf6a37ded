/// Comma-separated text as RFC 4180 writes it.
public enum CSVText {
    /// Fields with commas, quotes or line breaks are quoted, quotes doubled; lines end in CRLF.
    /// Works on UTF-8 bytes: exports run to hundreds of thousands of rows.
    public static func lines(_ rows: [[String]]) -> String {
        var text = ""
        text.reserveCapacity(rows.reduce(0) { $0 + $1.reduce(2) { $0 + $1.utf8.count + 1 } })
        for row in rows {
            for (index, field) in row.enumerated() {
                if index > 0 { text += "," }
                if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                    text += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                } else {
                    text += field
                }
            }
            text += "\r\n"
        }
        return text
    }
}
