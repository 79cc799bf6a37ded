import CurbsideServer
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("With nothing set, Curbside runs on SQLite under .curbside/")
    func defaults() throws {
        let configuration = try CurbsideConfiguration.fromEnvironment([:])
        #expect(configuration.database == .sqlite(path: ".curbside/curbside.sqlite"))
        #expect(configuration.city.rawValue == "440784")
        #expect(configuration.timeZone.identifier == "Asia/Shanghai")
        #expect(configuration.autoMigrate && configuration.seedOnStart)
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.cityFeed == nil && configuration.concessionFile == nil)
    }

    @Test("PostgreSQL by URL; sizes and flags as operators write them")
    func values() throws {
        let configuration = try CurbsideConfiguration.fromEnvironment([
            "DATABASE_URL": "postgres://u:p@db:5432/curbside", "CURBSIDE_MAX_BODY": "512k", "CURBSIDE_AUTO_MIGRATE": "off",
            "CURBSIDE_CITY_CODE": "350300", "CURBSIDE_LOG_FORMAT": "text", "CURBSIDE_CITY_FEED_URL": "https://park.putian.gov.cn/api/feed",
            "CURBSIDE_CITY_FEED_SECRET": "a-shared-secret-of-32-bytes-long", "CURBSIDE_TIME_ZONE": "Asia/Urumqi",
        ])
        #expect(configuration.database == .postgres(url: "postgres://u:p@db:5432/curbside"))
        #expect(configuration.maxBodyBytes == 512 * 1024)
        #expect(!configuration.autoMigrate)
        #expect(configuration.city.rawValue == "350300")
        #expect(configuration.timeZone.identifier == "Asia/Urumqi")
        #expect(configuration.cityFeed?.url == "https://park.putian.gov.cn/api/feed" && configuration.cityFeed?.keyID == "curbside")
    }

    @Test("A feed URL without its secret, or not a URL, is refused", arguments: [
        ["CURBSIDE_CITY_FEED_URL": "https://park.example.cn/feed"],
        ["CURBSIDE_CITY_FEED_URL": "ftp://park.example.cn/feed", "CURBSIDE_CITY_FEED_SECRET": "a-shared-secret-of-32-bytes-long"],
    ])
    func feedRefused(environment: [String: String]) {
        #expect(throws: ConfigurationError.self) { try CurbsideConfiguration.fromEnvironment(environment) }
    }

    @Test("A bad value is refused with the variable named", arguments: [
        ("DATABASE_URL", "mysql://x"), ("CURBSIDE_MAX_BODY", "lots"), ("CURBSIDE_AUTO_MIGRATE", "maybe"),
        ("CURBSIDE_CITY_CODE", "990000"), ("CURBSIDE_LOG_LEVEL", "loud"), ("CURBSIDE_JWT_SECRET", "short"),
        ("CURBSIDE_TIME_ZONE", "Asia/Beijing"),
    ])
    func refused(variable: String, value: String) {
        #expect {
            _ = try CurbsideConfiguration.fromEnvironment([variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }
}
