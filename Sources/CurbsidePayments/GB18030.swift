#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chinese text in GB18030, the national standard encoding and a superset of
/// GBK, in which Alipay writes its statements. Converted by the C library's
/// iconv, which every Linux and macOS has.
public enum GB18030 {
    /// The text, or nil when the bytes are not GB18030.
    public static func decode(_ bytes: [UInt8]) -> String? {
        // One GB18030 byte makes at most two bytes of UTF-8 (two make three, four make four).
        convert(bytes, from: "GB18030", to: "UTF-8", capacity: bytes.count * 2 + 4).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The text's bytes, or nil when it holds what GB18030 cannot (it covers all of Unicode, so only broken text).
    public static func encode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        return convert(utf8, from: "UTF-8", to: "GB18030", capacity: utf8.count + 4)
    }

    private static func convert(_ input: [UInt8], from source: String, to target: String, capacity: Int) -> [UInt8]? {
        let converter = iconv_open(target, source)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = input
        var output = [UInt8](repeating: 0, count: capacity)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        return written.map { Array(output[0..<$0]) }
    }
}
