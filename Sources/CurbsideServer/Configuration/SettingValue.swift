/// A setting written as text, with what an operator should have written when it cannot be read.
protocol SettingValue {
    init?(setting: String)
    static var expectation: String { get }
}

/// A switch as operators write it: true/false, yes/no, on/off, 1/0.
struct Flag: SettingValue {
    static let expectation = "true or false"
    var isOn: Bool

    init?(setting: String) {
        switch setting.lowercased() {
        case "1", "true", "yes", "on": isOn = true
        case "0", "false", "no", "off": isOn = false
        default: return nil
        }
    }
}

/// A size as operators write it: 1048576, 512k, 16m.
struct ByteSize: SettingValue {
    static let expectation = "a size such as 1048576, 512k or 16m"
    var bytes: Int

    init?(setting: String) {
        let lower = setting.lowercased()
        let multiplier: Int
        switch lower.last {
        case "k": multiplier = 1 << 10
        case "m": multiplier = 1 << 20
        case "g": multiplier = 1 << 30
        default: multiplier = 1
        }
        let digits = multiplier > 1 ? lower.dropLast() : Substring(lower)
        guard let number = Int(digits), number > 0 else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        bytes = product
    }
}
