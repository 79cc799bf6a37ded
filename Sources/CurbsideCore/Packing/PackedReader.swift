/// State written by `PackedWriter` did not read back: cut short, or not what was written.
public struct PackingError: Error, Equatable, Sendable {
    public var offset: Int

    public init(offset: Int) {
        self.offset = offset
    }
}

/// Reads back what `PackedWriter` wrote, value by value in the same order.
public struct PackedReader {
    let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset == bytes.count }

    mutating func byte() throws(PackingError) -> UInt8 {
        guard offset < bytes.count else { throw PackingError(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func int64() throws(PackingError) -> Int64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw PackingError(offset: offset) }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    public mutating func int() throws(PackingError) -> Int {
        let value = try int64()
        guard let int = Int(exactly: value) else { throw PackingError(offset: offset) }
        return int
    }

    /// A count of items that follow, each at least a byte long.
    public mutating func count() throws(PackingError) -> Int {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw PackingError(offset: offset) }
        return count
    }

    public mutating func optionalInt64() throws(PackingError) -> Int64? {
        try bool() ? try int64() : nil
    }

    public mutating func bool() throws(PackingError) -> Bool {
        switch try byte() {
        case 0: false
        case 1: true
        default: throw PackingError(offset: offset - 1)
        }
    }

    public mutating func optionalBool() throws(PackingError) -> Bool? {
        switch try byte() {
        case 0: nil
        case 1: false
        case 2: true
        default: throw PackingError(offset: offset - 1)
        }
    }

    public mutating func string() throws(PackingError) -> String {
        let count = try count()
        defer { offset += count }
        guard let text = String(validating: bytes[offset..<offset + count], as: UTF8.self) else { throw PackingError(offset: offset) }
        return text
    }

    public mutating func optionalString() throws(PackingError) -> String? {
        try bool() ? try string() : nil
    }

    public mutating func digest() throws(PackingError) -> String {
        guard try bool() else { return try string() }
        guard bytes.count - offset >= 32 else { throw PackingError(offset: offset) }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes[offset..<offset + 32] {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        offset += 32
        return String(decoding: text, as: UTF8.self)
    }
}
