/// Writes state that only this program reads back (fold checkpoints, queued
/// work) compactly and fast: integers as zig-zag varints, strings as their
/// UTF-8 length and bytes, SHA-256 digests as their 32 bytes. Readers
/// (`PackedReader`) take the values back in the same order.
public struct PackedWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func int(_ value: Int64) {
        // Zig-zag keeps small negative numbers (offsets) as short as small positive ones.
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public mutating func int(_ value: Int) {
        int(Int64(value))
    }

    public mutating func int(_ value: Int64?) {
        bool(value != nil)
        if let value { int(value) }
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// nil, false or true in one byte.
    public mutating func bool(_ value: Bool?) {
        bytes.append(value.map { $0 ? 2 : 1 } ?? 0)
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func string(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    /// A lower-case hex SHA-256 digest in 32 bytes; any other text as a string.
    public mutating func digest(_ value: String) {
        var value = value
        let packed: Bool = value.withUTF8 { utf8 in
            guard utf8.count == 64, utf8.allSatisfy({ Self.nibble($0) != nil }) else { return false }
            bytes.append(1)
            for index in stride(from: 0, to: 64, by: 2) {
                bytes.append(Self.nibble(utf8[index])! << 4 | Self.nibble(utf8[index + 1])!)
            }
            return true
        }
        if !packed {
            bytes.append(0)
            string(value)
        }
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
