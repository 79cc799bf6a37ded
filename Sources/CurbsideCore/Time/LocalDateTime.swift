import Foundation

/// Reads the date-times people and tariffs write: `2026-11-21T09:30`,
/// `2026-11-21 09:30:15`, optionally with `Z` or an offset such as `+08:00`.
/// Without an offset the time is wall-clock time in the zone the caller gives.
public enum LocalDateTime {
    /// UTC seconds for `text`, reading times without an offset in `clock`'s zone.
    public static func instant(_ text: String, in clock: ZoneClock) -> Int64? {
        guard let (local, offset) = parse(text) else { return nil }
        return offset.map { local - $0 } ?? clock.utc(fromLocal: local)
    }

    /// Local seconds since 1970 and the written offset in seconds, if any.
    static func parse(_ text: String) -> (local: Int64, offset: Int64?)? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard rest.count >= 16, let date = LocalDate(rest.prefix(10)) else { return nil }
        rest = rest.dropFirst(10)
        guard let separator = rest.first, separator == "T" || separator == " " else { return nil }
        rest = rest.dropFirst()
        func number(_ length: Int, max: Int) -> Int? {
            guard rest.count >= length, let value = Int(rest.prefix(length)), rest.prefix(length).allSatisfy(\.isNumber), value <= max else { return nil }
            rest = rest.dropFirst(length)
            return value
        }
        guard let hour = number(2, max: 23), rest.first == ":" else { return nil }
        rest = rest.dropFirst()
        guard let minute = number(2, max: 59) else { return nil }
        var second = 0
        if rest.first == ":" {
            rest = rest.dropFirst()
            guard let value = number(2, max: 59) else { return nil }
            second = value
            if rest.first == "." { rest = rest.drop { $0 == "." || $0.isNumber } }
        }
        let local = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if rest.isEmpty { return (local, nil) }
        if rest == "Z" || rest == "z" { return (local, 0) }
        // A "+" left unescaped in a query string arrives as a space.
        if rest.first == " " { rest = "+" + rest.dropFirst() }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        rest = rest.dropFirst()
        guard let hours = number(2, max: 14) else { return nil }
        if rest.first == ":" { rest = rest.dropFirst() }
        guard let minutes = number(2, max: 59), rest.isEmpty else { return nil }
        let offset = Int64(hours * 3600 + minutes * 60)
        return (local, sign == "+" ? offset : -offset)
    }

    /// `2026-11-21T09:30:00+08:00` for an instant in `clock`'s zone.
    public static func format(_ instant: Int64, in clock: ZoneClock) -> String {
        let offset = clock.offset(atUTC: instant)
        let local = instant + offset
        let day = Int(floorDivide(local, 86_400))
        let seconds = Int(local - Int64(day) * 86_400)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = Int(offset.magnitude)
        return LocalDate(dayNumber: day).description + "T" + two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
            + sign + two(magnitude / 3600) + ":" + two(magnitude / 60 % 60)
    }
}
