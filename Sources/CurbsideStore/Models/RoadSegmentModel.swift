import FluentKit
import Foundation

public final class RoadSegmentModel: Model, @unchecked Sendable {
    public static let schema = "road_segments"

    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "zone_id") public var zoneID: String
    @Field(key: "road_name") public var roadName: String
    @Field(key: "side") public var side: String
    @Field(key: "from_street") public var fromStreet: String
    @Field(key: "to_street") public var toStreet: String
    /// The kerb line as GeoJSON positions.
    @Field(key: "path") public var path: String
    @Field(key: "lifecycle") public var lifecycle: String
    @Field(key: "revision") public var revision: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
