import Foundation

/// A WeChat subscription message (小程序订阅消息): a template the user agreed
/// to receive, filled by key (`thing1`, `amount2`, `car_number3` ...), and
/// the mini-program page it opens.
public struct WeChatSubscribeMessage: Sendable, Equatable {
    public var openID: String
    public var template: String
    /// Keys and values in the template's order.
    public var data: [(key: String, value: String)]
    public var page: String

    public init(openID: String, template: String, data: [(key: String, value: String)], page: String) {
        self.openID = openID
        self.template = template
        self.data = data
        self.page = page
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.openID == rhs.openID && lhs.template == rhs.template && lhs.page == rhs.page
            && lhs.data.map(\.key) == rhs.data.map(\.key) && lhs.data.map(\.value) == rhs.data.map(\.value)
    }

    /// WeChat's limits by key type: longer values are refused (47003), so they are cut to fit.
    public static func fitted(_ value: String, key: String) -> String {
        let limit = switch key.prefix(while: { !$0.isNumber }) {
        case "thing": 20
        case "car_number": 8
        case "character_string": 32
        case "phrase": 5
        case "name": 10
        default: 64
        }
        return value.count > limit ? String(value.prefix(limit)) : value
    }
}
