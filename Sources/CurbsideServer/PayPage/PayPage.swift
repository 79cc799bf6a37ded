import CurbsideCore
import Foundation

/// A citizen's pay page, server-rendered for a phone: the bill (or the stay
/// so far) explained, the amount, a button per channel, and a little script
/// that places the order, shows the QR code or goes to the channel's page,
/// waits for the payment to settle and then shows the page again, paid.
/// Nothing loads from elsewhere: one HTML document of a few kilobytes, and
/// images (the QR code, evidence) only when asked for.
struct PayPage {
    /// One row of facts: a label and its value.
    struct Fact {
        var label: String
        var value: String
    }

    /// A line of the bill: what it is for and its amount.
    struct Line {
        var text: String
        var fen: Int
    }

    /// A paid payment, as the receipt shows it.
    struct Receipt {
        var id: String
        var channel: PaymentChannel
        var fen: Int
        var transactionID: String?
        var paidAt: String
    }

    /// A channel button: how the page pays through it here.
    struct Button {
        var channel: PaymentChannel
        var scene: String
    }

    enum State: String {
        case unpaid, paid, void, appealed, parked, unknown
    }

    var text: PayPageText
    var state: State
    var heading: String
    var facts: [Fact] = []
    var lines: [Line] = []
    var evidence: [String] = []
    /// What is to be paid now, in fen.
    var dueFen = 0
    var receipts: [Receipt] = []
    var buttons: [Button] = []
    /// What the script sends with the payment: `bills` or `bay`, and where to go once paid.
    var payment: [String: String] = [:]

    var html: String {
        var body = "<header><h1>\(text[.title].escaped)</h1><p class=\"lang\">\(text.otherLanguageLink)</p></header><main>"
        body += "<section class=\"state \(state.rawValue)\" id=\"state\"><h2>\(heading.escaped)</h2>"
        if dueFen > 0, state != .paid { body += "<p class=\"due\" id=\"due\">\(Self.yuan(dueFen))</p>" }
        body += "</section>"
        if !facts.isEmpty {
            body += "<dl>" + facts.map { "<dt>\($0.label.escaped)</dt><dd>\($0.value.escaped)</dd>" }.joined() + "</dl>"
        }
        if !lines.isEmpty {
            body += "<h3>\(text[.lines].escaped)</h3><table class=\"lines\">"
            body += lines.map { "<tr><td>\($0.text.escaped)</td><td>\(Self.yuan($0.fen))</td></tr>" }.joined()
            body += "</table>"
        }
        if !evidence.isEmpty {
            body += "<h3>\(text[.evidence].escaped)</h3><p class=\"evidence\">"
            body += evidence.map { "<a href=\"\($0.escaped)\"><img loading=\"lazy\" src=\"\($0.escaped)\" alt=\"\(text[.evidence].escaped)\"></a>" }.joined()
            body += "</p>"
        }
        if !receipts.isEmpty {
            body += "<section id=\"receipt\"><h3>\(text[.receipt].escaped)</h3>"
            for receipt in receipts {
                body += "<dl><dt>\(text[.paymentNumber].escaped)</dt><dd class=\"payment-id\">\(receipt.id.escaped)</dd>"
                body += "<dt>\(text[.channel].escaped)</dt><dd>\(text.channel(receipt.channel).escaped)</dd>"
                body += "<dt>\(text[.amount].escaped)</dt><dd>\(Self.yuan(receipt.fen))</dd>"
                if let transaction = receipt.transactionID { body += "<dt>\(text[.transaction].escaped)</dt><dd>\(transaction.escaped)</dd>" }
                body += "<dt>\(text[.paidAt].escaped)</dt><dd>\(receipt.paidAt.escaped)</dd></dl>"
            }
            body += "</section>"
        }
        if !buttons.isEmpty, dueFen > 0, state == .unpaid || state == .appealed || state == .parked {
            body += "<section id=\"pay\"><h3>\(text[.payWith].escaped)</h3>"
            body += buttons.map {
                "<button type=\"button\" class=\"\($0.channel.rawValue)\" data-channel=\"\($0.channel.rawValue)\" data-scene=\"\($0.scene)\">\(text.channel($0.channel).escaped)</button>"
            }.joined()
            body += "<p id=\"progress\" role=\"status\"></p><img id=\"qr\" hidden alt=\"QR\"><p id=\"qr-hint\" hidden>\(text[.scanHint].escaped)</p></section>"
            body += "<script type=\"application/json\" id=\"pay-config\">\(Self.json(payment.merging(text.scriptTexts) { $1 }))</script>"
            body += "<script>\(Self.script)</script>"
        } else if dueFen > 0, state == .unpaid || state == .parked {
            body += "<p>\(text[.noChannel].escaped)</p>"
        }
        body += "</main>"
        return """
            <!doctype html><html lang="\(text.language.htmlCode)"><head><meta charset="utf-8">\
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(text[.title].escaped)</title>\
            <style>\(Self.style)</style></head><body data-state="\(state.rawValue)">\(body)</body></html>
            """
    }

    static func yuan(_ fen: Int) -> String {
        "¥" + Money.yuan(fen)
    }

    /// A JSON object of strings for the script, safe inside a script element (no "</").
    static func json(_ values: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }
}

extension String {
    /// Text made safe in HTML content and attribute values.
    var escaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
