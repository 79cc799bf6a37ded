import FluentKit
import Foundation

public final class ZoneModel: Model, @unchecked Sendable {
    public static let schema = "zones"

    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "name") public var name: String
    @Field(key: "zone_class") public var zoneClass: Int
    @Field(key: "district_code") public var districtCode: String
    @Field(key: "district_name") public var districtName: String
    @Field(key: "tariff_id") public var tariffID: String
    @Field(key: "time_zone") public var timeZone: String
    @Field(key: "operator_name") public var operatorName: String
    @Field(key: "service_phone") public var servicePhone: String
    @Field(key: "service_hours") public var serviceHours: String
    /// The boundary ring as GeoJSON positions.
    @Field(key: "boundary") public var boundary: String
    @Field(key: "lifecycle") public var lifecycle: String
    @OptionalField(key: "suspension_reason") public var suspensionReason: String?
    @OptionalField(key: "suspended_from") public var suspendedFrom: Date?
    @OptionalField(key: "suspended_until") public var suspendedUntil: Date?
    @Field(key: "revision") public var revision: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
