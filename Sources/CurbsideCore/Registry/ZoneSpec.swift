/// The editable attributes of a zone, including the static data the city
/// platform asks for (seed 003 §5).
public struct ZoneSpec: Hashable, Sendable {
    public var id: String
    public var name: String
    public var zoneClass: ZoneClass
    public var district: DivisionCode
    public var districtName: String
    /// Id of the tariff scheme in Tariffs/ that prices stays here.
    public var tariffID: String
    /// IANA time zone the tariff's clock times are read in.
    public var timeZone: String
    public var operatorName: String
    public var servicePhone: String
    /// Published service hours, e.g. "08:00-20:00" or "24h".
    public var serviceHours: String
    /// Outer ring of the zone's boundary; may be empty.
    public var boundary: [GeoPoint]

    public init(
        id: String, name: String, zoneClass: ZoneClass, district: DivisionCode, districtName: String,
        tariffID: String, timeZone: String, operatorName: String, servicePhone: String,
        serviceHours: String, boundary: [GeoPoint]
    ) {
        self.id = id
        self.name = name
        self.zoneClass = zoneClass
        self.district = district
        self.districtName = districtName
        self.tariffID = tariffID
        self.timeZone = timeZone
        self.operatorName = operatorName
        self.servicePhone = servicePhone
        self.serviceHours = serviceHours
        self.boundary = boundary
    }
}

extension ZoneSpec: FieldDiffable {
    public var fieldValues: [(String, String)] {
        [
            ("name", name), ("class", String(zoneClass.rawValue)), ("district", district.rawValue),
            ("district_name", districtName), ("tariff_id", tariffID), ("time_zone", timeZone),
            ("operator", operatorName), ("service_phone", servicePhone), ("service_hours", serviceHours),
            ("boundary", GeoText.path(boundary)),
        ]
    }
}
