import FluentKit
import Foundation

public final class BayModel: Model, @unchecked Sendable {
    public static let schema = "bays"

    /// The short code is the key: it is painted on the kerb and never reused.
    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "segment_id") public var segmentID: String
    /// Copied from the segment so that the district's zone is in every hot key.
    @Field(key: "zone_id") public var zoneID: String
    @Field(key: "longitude") public var longitude: Double
    @Field(key: "latitude") public var latitude: Double
    /// Distance along the segment's kerb line, in metres: the walking order.
    @Field(key: "chainage") public var chainage: Double
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "charger_id") public var chargerID: String?
    @OptionalField(key: "charger_kw") public var chargerKW: Double?
    @OptionalField(key: "sensor_id") public var sensorID: String?
    @OptionalField(key: "camera_id") public var cameraID: String?
    @Field(key: "lifecycle") public var lifecycle: String
    @OptionalField(key: "suspension_reason") public var suspensionReason: String?
    @OptionalField(key: "suspended_from") public var suspendedFrom: Date?
    @OptionalField(key: "suspended_until") public var suspendedUntil: Date?
    @Field(key: "revision") public var revision: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
