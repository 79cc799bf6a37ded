import CurbsideCore
import Foundation

/// The city's notice texts as files, `<language>/<kind>.txt` under one
/// directory (`Tariffs/notices` by default), read at start: a text that does
/// not parse, or a kind without a Chinese text, stops the start with the
/// file's name.
enum NoticeTextFiles {
    static func load(_ directory: String) throws -> NoticeTexts {
        let files = FileManager.default
        guard let languages = try? files.contentsOfDirectory(atPath: directory) else {
            throw ConfigurationError(variable: "CURBSIDE_NOTICE_TEXTS_DIR", reason: "\(directory) is not a directory of notice texts")
        }
        var texts: [String: [NoticeKind: NoticeText]] = [:]
        for language in languages.sorted() where !language.hasPrefix(".") {
            for kind in NoticeKind.allCases {
                let path = "\(directory)/\(language)/\(kind.rawValue).txt"
                guard let data = files.contents(atPath: path) else { continue }
                guard let file = String(data: data, encoding: .utf8) else {
                    throw ConfigurationError(variable: "CURBSIDE_NOTICE_TEXTS_DIR", reason: "\(path) is not UTF-8")
                }
                do {
                    texts[language, default: [:]][kind] = try NoticeText(kind: kind, file: file)
                } catch {
                    throw ConfigurationError(variable: "CURBSIDE_NOTICE_TEXTS_DIR", reason: "\(path): \(error)")
                }
            }
        }
        do {
            return try NoticeTexts(texts)
        } catch {
            throw ConfigurationError(variable: "CURBSIDE_NOTICE_TEXTS_DIR", reason: "\(directory): \(error)")
        }
    }
}
