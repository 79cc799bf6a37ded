import CZlib

/// Writes a zip archive as Alipay's statements come: each entry deflated,
/// its name in GB18030 bytes with no UTF-8 flag.
public enum ZipWriter {
    public static func archive(_ entries: [(name: [UInt8], data: [UInt8])]) -> [UInt8] {
        var output: [UInt8] = []
        var directory: [UInt8] = []
        for (name, data) in entries {
            let packed = deflate(data)
            let crc = UInt32(data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
            let offset = UInt32(output.count)
            // Local header: signature, version 2.0, no flags, deflate, no time, crc, sizes, name length, no extra.
            output += le32(0x0403_4B50) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21)
            output += le32(crc) + le32(UInt32(packed.count)) + le32(UInt32(data.count)) + le16(UInt16(name.count)) + le16(0) + name + packed
            directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21)
            directory += le32(crc) + le32(UInt32(packed.count)) + le32(UInt32(data.count)) + le16(UInt16(name.count)) + le16(0) + le16(0)
            directory += le16(0) + le16(0) + le32(0) + le32(offset) + name
        }
        let start = UInt32(output.count)
        output += directory
        output += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        output += le32(UInt32(directory.count)) + le32(start) + le16(0)
        return output
    }

    /// Raw deflate, as zip entries hold it.
    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        _ = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var input = data
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))))
        let written = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                _ = CZlib.deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xFFFF)) + le16(UInt16(value >> 16)) }
}
