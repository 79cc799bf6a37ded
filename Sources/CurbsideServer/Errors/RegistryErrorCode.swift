/// Refusals of the bay registry: zones, road segments, bays and their codes.
public enum RegistryErrorCode: String, ErrorCode {
    public static let area = "Registry"

    case zoneNotFound = "zone_not_found"
    case segmentNotFound = "segment_not_found"
    case bayNotFound = "bay_not_found"
    case zoneExists = "zone_exists"
    case segmentExists = "segment_exists"
    case bayExists = "bay_exists"
    case zoneRetired = "zone_retired"
    case segmentRetired = "segment_retired"
    case bayRetired = "bay_retired"
    case revisionMismatch = "revision_mismatch"
    case codesExhausted = "codes_exhausted"
    /// An import or change refused for several issues; one issue is answered with its own code.
    case registryRejected = "registry_rejected"
    case invalidPosition = "invalid_position"
    case invalidPath = "invalid_path"
    case invalidDistrict = "invalid_district"
    case invalidTimeZone = "invalid_time_zone"
    case chargerRequired = "charger_required"
    case chargerNotAllowed = "charger_not_allowed"
    case bayCodeEmpty = "bay_code_empty"
    case bayCodeInvalidCharacter = "bay_code_invalid_character"
    case bayCodeWrongLength = "bay_code_wrong_length"
    case bayCodeCheckFailed = "bay_code_check_failed"
    case bayCodeOtherCity = "bay_code_other_city"
}
