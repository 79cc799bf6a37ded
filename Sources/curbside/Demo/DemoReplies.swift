/// The parts of API replies the demo prints, decoded from the JSON it receives.
enum DemoReplies {
    struct Readiness: Decodable { var status: String; var database: String }

    struct Counts: Decodable {
        var total: Int
        var occupied: Int?
        var free: Int?
        var evTotal: Int
        var unknown: Int
    }

    struct SegmentAvailability: Decodable { var segmentId: String; var address: String; var counts: Counts }

    struct ZoneAvailability: Decodable {
        var zoneId: String
        var name: String
        var `class`: Int
        var status: String
        var counts: Counts
        var segments: [SegmentAvailability]?
    }

    struct Availability: Decodable { var zones: [ZoneAvailability] }

    struct Bay: Decodable {
        var code: String
        var fullCode: String
        var address: String
        var zoneId: String
        var zoneClass: Int
        var kind: String
        var status: String
        var tariffId: String
        var occupancy: String
    }

    struct Problem: Decodable { var code: String; var message: String; var didYouMean: String? }

    struct Change: Decodable { var entity: String; var entityId: String; var action: String; var actor: String; var source: String }

    struct Changes: Decodable { var items: [Change]; var nextAfter: Int? }

    struct Tariff: Decodable { var id: String; var version: Int; var name: String }

    struct Tariffs: Decodable { var tariffs: [Tariff] }

    struct ZoneTariff: Decodable { var tariffId: String; var tariffVersion: Int; var illustrative: Bool; var rules: [String] }

    struct QuoteLine: Decodable { var amountFen: Int; var description: String }

    struct Quote: Decodable { var amountFen: Int; var lines: [QuoteLine] }
}
