/// Refusals of patrol: beats, shifts, inspections and street actions.
public enum PatrolErrorCode: String, ErrorCode {
    public static let area = "Patrol"

    case beatNotFound = "beat_not_found"
    case beatExists = "beat_exists"
    case beatNotAssigned = "beat_not_assigned"
    case notAnOfficer = "not_an_officer"
    case noOpenShift = "no_open_shift"
    case shiftOpen = "shift_open"
    case offBeat = "off_beat"
    case plateNotOnBeat = "plate_not_on_beat"
    case reasonRequired = "reason_required"
    case outsideShift = "outside_shift"
    case photoNotUploaded = "photo_not_uploaded"
}
