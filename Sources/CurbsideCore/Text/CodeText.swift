/// Folding of what people type into the canonical form codes are compared in.
///
/// Citizens type codes on phones with Chinese input methods, which produce
/// full-width digits and letters, ideographic spaces and assorted dashes.
public enum CodeText {
    /// Maps full-width forms (U+FF01...U+FF5E) to ASCII and the ideographic space to a space.
    public static func foldWidth(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E:
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000:
                scalars.append(" ")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Characters people put between groups of a code: spaces, dots, dashes and underscores.
    public static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x2D, 0x2E, 0x5F, 0xA0, 0xB7:
            return true
        case 0x2010...0x2015, 0x2212, 0x30FB, 0xFE58, 0xFE63:
            return true
        default:
            return false
        }
    }

    /// Width-folded, separators removed, ASCII letters upper-cased.
    public static func compact(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in foldWidth(text).unicodeScalars where !isSeparator(scalar) {
            if scalar.value >= 0x61 && scalar.value <= 0x7A {
                scalars.append(Unicode.Scalar(scalar.value - 0x20)!)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
