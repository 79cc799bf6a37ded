/// Refusals of the Curb Data Specification's endpoints.
public enum CDSErrorCode: String, ErrorCode {
    public static let area = "CDS"

    case curbZoneNotFound = "curb_zone_not_found"
    case curbAreaNotFound = "curb_area_not_found"
    case curbSpaceNotFound = "curb_space_not_found"
    case curbPlaceNotFound = "curb_place_not_found"
    case curbPlaceTypeRequired = "curb_place_type_required"
    case invalidBoundingBox = "invalid_bounding_box"
    case invalidPointRadius = "invalid_point_radius"
    case conflictingLocationFilters = "conflicting_location_filters"
    case invalidTimeRange = "invalid_time_range"
    case timeRangeTooLong = "time_range_too_long"
    case invalidEventTime = "invalid_event_time"
    case tooManyRows = "too_many_rows"
}
