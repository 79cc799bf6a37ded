import CZlib

/// The files of a zip archive (PKWARE APPNOTE), as Alipay sends its
/// statements: found through the central directory, stored or deflated, each
/// checked against its size and CRC-32. Names not flagged UTF-8 are read as
/// GB18030, which is what Chinese tools write.
public struct ZipArchive: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var data: [UInt8]
    }

    public struct Unreadable: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public let entries: [Entry]

    /// Reads every entry; the entries together may hold at most `limit` bytes unpacked, so a small hostile
    /// archive cannot unpack into all of memory.
    public init(_ bytes: [UInt8], limit: Int = 64 << 20) throws(Unreadable) {
        let reader = Reader(bytes: bytes)
        // The end record is in the last 22 bytes plus at most a 65,535-byte comment.
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 0xFFFF), by: -1).first(where: { reader.u32($0) == 0x0605_4B50 })
        else { throw Unreadable(description: "no end of central directory") }
        let count = reader.u16(end + 10)!
        var offset = Int(reader.u32(end + 16)!)
        var entries: [Entry] = []
        var total = 0
        for _ in 0..<count {
            guard reader.u32(offset) == 0x0201_4B50, let flags = reader.u16(offset + 8), let method = reader.u16(offset + 10),
                  let crc = reader.u32(offset + 16), let packed = reader.u32(offset + 20), let size = reader.u32(offset + 24),
                  let nameLength = reader.u16(offset + 28), let extraLength = reader.u16(offset + 30), let commentLength = reader.u16(offset + 32),
                  let local = reader.u32(offset + 42), let nameBytes = reader.bytes(offset + 46, Int(nameLength))
            else { throw Unreadable(description: "a central directory entry is cut short") }
            offset += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
            let name = flags & 0x800 != 0 ? String(decoding: nameBytes, as: UTF8.self) : GB18030.decode(nameBytes) ?? String(decoding: nameBytes, as: UTF8.self)
            total += Int(size)
            guard total <= limit else { throw Unreadable(description: "the entries unpack to more than \(limit) bytes") }
            guard reader.u32(Int(local)) == 0x0403_4B50, let localName = reader.u16(Int(local) + 26), let localExtra = reader.u16(Int(local) + 28),
                  let stored = reader.bytes(Int(local) + 30 + Int(localName) + Int(localExtra), Int(packed))
            else { throw Unreadable(description: "\(name): the local header or data is cut short") }
            let data: [UInt8]
            switch method {
            case 0: data = stored
            case 8: data = try Self.inflate(stored, size: Int(size), name: name)
            default: throw Unreadable(description: "\(name): compression method \(method) is not read here")
            }
            guard data.count == Int(size), Self.crc32(data) == crc else { throw Unreadable(description: "\(name): the CRC-32 or size does not match") }
            entries.append(Entry(name: name, data: data))
        }
        self.entries = entries
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        UInt32(data.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, UInt32($0.count)) })
    }

    /// Raw deflate (no zlib header), into exactly `size` bytes.
    static func inflate(_ packed: [UInt8], size: Int, name: String) throws(Unreadable) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: size)
        var input = packed
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Unreadable(description: "\(name): zlib did not start")
        }
        defer { inflateEnd(&stream) }
        let result = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        // A stream longer than its stated size stops short of its end, and is refused.
        guard result == Z_STREAM_END, Int(stream.total_out) == size else { throw Unreadable(description: "\(name): the deflated data is damaged") }
        return output
    }

    /// Little-endian fields at offsets that may lie outside the archive: nil there.
    struct Reader {
        let bytes: [UInt8]

        func u16(_ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }

        func u32(_ at: Int) -> UInt32? {
            guard let low = u16(at), let high = u16(at + 2) else { return nil }
            return UInt32(low) | UInt32(high) << 16
        }

        func bytes(_ at: Int, _ count: Int) -> [UInt8]? {
            guard at >= 0, count >= 0, at + count <= bytes.count else { return nil }
            return Array(bytes[at..<(at + count)])
        }
    }
}
