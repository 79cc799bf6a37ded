/// Strict RFC 3339 date-times, the only form the API accepts for an instant:
/// `2026-11-21T08:30:00+08:00`, `2026-11-21T00:30:00.250Z`. The date must be
/// a real one, the time 00:00:00 to 23:59:59, and the offset one that some
/// time zone uses (see `possibleOffsets`); instants outside `range` are
/// refused too, so that nothing a request says about time can overflow the
/// arithmetic done with it.
public enum RFC3339 {
    /// What a refused text is wrong with, for the client's message.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed
        case impossibleDate
        case impossibleTime
        case impossibleOffset
        case outOfRange

        public var description: String {
            switch self {
            case .malformed: "is not an RFC 3339 date-time such as 2026-11-21T08:30:00+08:00"
            case .impossibleDate: "names a day that does not exist"
            case .impossibleTime: "has a time of day that does not exist (00:00:00 to 23:59:59)"
            case .impossibleOffset: "has an offset no time zone uses (-12:00 to +14:00)"
            case .outOfRange: "is outside the years 1970 to 2199"
            }
        }
    }

    /// Offsets from UTC that time zones use, in seconds: -12:00 (Baker Island) to +14:00 (Kiribati).
    public static let possibleOffsets: ClosedRange<Int64> = -12 * 3600...14 * 3600
    /// Instants the API accepts, in UTC seconds: 1970-01-01 up to 2200-01-01.
    public static let range: Range<Int64> = 0..<7_258_118_400

    /// UTC seconds and the fraction in nanoseconds.
    public static func parse(_ text: some StringProtocol) throws(Problem) -> (seconds: Int64, nanoseconds: Int32) {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) throws(Problem) -> Int {
            guard index + count <= bytes.count else { throw .malformed }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (0x30...0x39).contains(byte) else { throw .malformed }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ allowed: Set<UInt8>) throws(Problem) {
            guard index < bytes.count, allowed.contains(bytes[index]) else { throw .malformed }
            index += 1
        }
        let year = try digits(4)
        try expect([0x2D])
        let month = try digits(2)
        try expect([0x2D])
        let day = try digits(2)
        try expect([0x54, 0x74])  // T or t
        let hour = try digits(2)
        try expect([0x3A])
        let minute = try digits(2)
        try expect([0x3A])
        let second = try digits(2)
        var nanoseconds: Int32 = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            let start = index
            var scale: Int32 = 100_000_000
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                nanoseconds += Int32(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start, index - start <= 9 else { throw .malformed }
        }
        var offset: Int64 = 0
        guard index < bytes.count else { throw .malformed }
        if bytes[index] == 0x5A || bytes[index] == 0x7A {  // Z or z
            index += 1
        } else {
            let sign: Int64 = bytes[index] == 0x2B ? 1 : bytes[index] == 0x2D ? -1 : 0
            guard sign != 0 else { throw .malformed }
            index += 1
            let hours = try digits(2)
            try expect([0x3A])
            let minutes = try digits(2)
            guard hours <= 23, minutes <= 59 else { throw .impossibleOffset }
            offset = sign * Int64(hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { throw .malformed }
        guard let date = LocalDate(year: year, month: month, day: day) else { throw .impossibleDate }
        guard hour <= 23, minute <= 59, second <= 59 else { throw .impossibleTime }
        guard possibleOffsets.contains(offset) else { throw .impossibleOffset }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offset
        guard range.contains(seconds) else { throw .outOfRange }
        return (seconds, nanoseconds)
    }

    /// UTC milliseconds, the fraction cut to the millisecond.
    public static func milliseconds(_ text: some StringProtocol) throws(Problem) -> Int64 {
        let (seconds, nanoseconds) = try parse(text)
        return seconds * 1000 + Int64(nanoseconds / 1_000_000)
    }

    /// Whether `text` is a real calendar day written yyyy-MM-dd (RFC 3339's full-date).
    public static func isFullDate(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 10 && LocalDate(text) != nil
    }
}
