import CurbsideCore

/// Refusals of a plate as typed: Core names the same codes; a test keeps the two spellings equal.
public enum PlateErrorCode: String, ErrorCode {
    public static let area = "Plates"

    case plateEmpty = "plate_empty"
    case plateUnknownProvince = "plate_unknown_province"
    case plateWrongLength = "plate_wrong_length"
    case plateBadFormat = "plate_bad_format"

    init(_ error: PlateError) {
        switch error {
        case .empty: self = .plateEmpty
        case .unknownProvince: self = .plateUnknownProvince
        case .wrongLength: self = .plateWrongLength
        case .badFormat: self = .plateBadFormat
        }
    }
}
