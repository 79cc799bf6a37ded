/// Refusals of tariffs and of pricing a stay.
public enum TariffErrorCode: String, ErrorCode {
    public static let area = "Tariffs"

    case tariffNotFound = "tariff_not_found"
    case noTariffInForce = "no_tariff_in_force"
    case stayEndsBeforeStart = "stay_ends_before_start"
    case stayTooLong = "stay_too_long"
}
