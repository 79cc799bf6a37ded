/// Stable text forms of coordinates for change records: seven decimals is 1 cm.
public enum GeoText {
    public static func number(_ value: Double) -> String {
        let scaled = (value * 10_000_000).rounded()
        let negative = scaled < 0
        let units = Int64(abs(scaled))
        var fraction = String(units % 10_000_000)
        fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        let whole = (negative ? "-" : "") + String(units / 10_000_000)
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    public static func point(_ point: GeoPoint) -> String {
        number(point.longitude) + "," + number(point.latitude)
    }

    public static func path(_ path: [GeoPoint]) -> String {
        path.map(point).joined(separator: " ")
    }
}
