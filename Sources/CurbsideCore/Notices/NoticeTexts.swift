/// Every kind's text, by language. Chinese is required for every kind; a
/// kind without a text in the recipient's language is sent in Chinese.
public struct NoticeTexts: Sendable, Equatable {
    public static let defaultLanguage = "zh"
    let texts: [String: [NoticeKind: NoticeText]]

    /// `texts` by language; every kind must have a Chinese text.
    public init(_ texts: [String: [NoticeKind: NoticeText]]) throws(NoticeTextError) {
        for kind in NoticeKind.allCases where texts[Self.defaultLanguage]?[kind] == nil { throw .missing(kind) }
        self.texts = texts
    }

    public var languages: [String] { texts.keys.sorted() }

    public func text(_ kind: NoticeKind, language: String?) -> NoticeText {
        // The initialiser made sure of a Chinese text for every kind.
        texts[language ?? Self.defaultLanguage]?[kind] ?? texts[Self.defaultLanguage]![kind]!
    }
}
