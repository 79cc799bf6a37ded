import CurbsideCore
import CurbsideServer
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Configuration", .ownThread)
struct ConfigurationTests {
    @Test("With nothing set, Curbside runs on SQLite under .curbside/")
    func defaults() throws {
        let configuration = try CurbsideConfiguration.fromEnvironment([:])
        #expect(configuration.invoices == InvoiceSettings() && configuration.invoices.taxRate == 900 && configuration.invoices.taxCode == "3040502020200000000")
        #expect(configuration.retention.periods == RetentionPeriods() && configuration.retention.key == nil && configuration.retention.hour == 3)
        #expect(configuration.store.location == .sqlite(path: ".curbside/curbside.sqlite"))
        #expect(configuration.city.code.rawValue == "440784")
        #expect(configuration.city.timeZone.identifier == "Asia/Shanghai")
        #expect(configuration.store.autoMigrate && configuration.store.seedOnStart)
        #expect(configuration.limits.request == 1 << 20)
        #expect(configuration.cityFeed == nil && configuration.files.concession == nil)
    }

    @Test("PostgreSQL by URL; sizes and flags as operators write them")
    func values() throws {
        let configuration = try CurbsideConfiguration.fromEnvironment([
            "DATABASE_URL": "postgres://u:p@db:5432/curbside", "CURBSIDE_MAX_BODY": "512k", "CURBSIDE_AUTO_MIGRATE": "off",
            "CURBSIDE_CITY_CODE": "350300", "CURBSIDE_LOG_FORMAT": "text", "CURBSIDE_CITY_FEED_URL": "https://park.putian.gov.cn/api/feed",
            "CURBSIDE_CITY_FEED_SECRET": "a-shared-secret-of-32-bytes-long", "CURBSIDE_TIME_ZONE": "Asia/Urumqi",
        ])
        #expect(configuration.store.location == .postgres(url: "postgres://u:p@db:5432/curbside"))
        #expect(configuration.limits.request == 512 * 1024)
        #expect(!configuration.store.autoMigrate)
        #expect(configuration.city.code.rawValue == "350300")
        #expect(configuration.city.timeZone.identifier == "Asia/Urumqi")
        #expect(configuration.cityFeed?.url == "https://park.putian.gov.cn/api/feed" && configuration.cityFeed?.keyID == "curbside")
    }

    @Test("Every variable the README documents reaches its setting")
    func everyVariable() throws {
        let pem = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-config-\(UUID().uuidString).pem").path
        try "-----BEGIN PUBLIC KEY-----".write(toFile: pem, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: pem) }
        let c = try CurbsideConfiguration.fromEnvironment([
            "CURBSIDE_DATA_DIR": "/var/lib/curbside", "CURBSIDE_SQLITE_PATH": "/srv/c.sqlite", "CURBSIDE_ZONES_DIR": "z", "CURBSIDE_TARIFFS_DIR": "t",
            "CURBSIDE_SEED": "no", "CURBSIDE_JWT_SECRET": String(repeating: "k", count: 32), "CURBSIDE_TOKEN_ISSUER": "heshan",
            "CURBSIDE_LOG_LEVEL": "debug", "CURBSIDE_MAX_IMPORT": "2m", "CURBSIDE_MAX_INGEST": "3m", "CURBSIDE_MAX_IMAGE": "4m",
            "CURBSIDE_EVIDENCE_DIR": "/e", "CURBSIDE_DEBOUNCE_SECONDS": "61", "CURBSIDE_ASSOCIATION_SECONDS": "62", "CURBSIDE_OUTAGE_SECONDS": "63",
            "CURBSIDE_DEVICE_OFFLINE_SECONDS": "64", "CURBSIDE_JOBS": "0", "CURBSIDE_DB_POOL": "7", "CURBSIDE_DB_POOL_TIMEOUT_SECONDS": "66", "CURBSIDE_BILL_DELAY_SECONDS": "65",
            "CURBSIDE_BILL_DUE_DAYS": "14", "CURBSIDE_PUBLIC_URL": "https://pay.example.cn/", "CURBSIDE_NOTICES": "dir:/n",
            "CURBSIDE_WECHAT_PLATFORM_KEY": pem, "CURBSIDE_WECHAT_APIV3_KEY": String(repeating: "a", count: 32), "CURBSIDE_ALIPAY_PUBLIC_KEY": pem,
            "CURBSIDE_ALIPAY_APP_ID": "2021000", "CURBSIDE_ACQUIRER_SECRET": "acq", "CURBSIDE_ARREARS_REMINDER_DAYS": "3, 9",
            "CURBSIDE_ARREARS_MAKEUP_DAYS": "20", "CURBSIDE_ARREARS_FINAL_DAYS": "10", "CURBSIDE_ARREARS_REFER_DAYS": "5",
            "CURBSIDE_OVERSTAY_HOURS": "8", "CURBSIDE_ALERT_ARREARS_FEN": "900", "CURBSIDE_BEAT_LIST_MAX_AGE_MS": "0",
            "CURBSIDE_CITY_FEED_URL": "https://feed.example.cn", "CURBSIDE_CITY_FEED_KEY_ID": "k1", "CURBSIDE_CITY_FEED_SECRET": "sixteen-bytes-ok",
            "CURBSIDE_CONCESSION_FILE": "/c.yaml", "CURBSIDE_IDLE_TIMEOUT_SECONDS": "40", "CURBSIDE_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1",
            "CURBSIDE_LIMIT_STAFF_SIGN_IN": "1/1m", "CURBSIDE_LIMIT_CODE_SIGN_IN": "2/1m", "CURBSIDE_LIMIT_CODES_PER_ADDRESS": "3/1m",
            "CURBSIDE_LIMIT_LOOKUPS": "4/1m", "CURBSIDE_LIMIT_RECEIPTS": "5/1m", "CURBSIDE_LIMIT_BINDINGS": "6/1m",
            "CURBSIDE_LIMIT_CODES_PER_PHONE": "7/1h", "CURBSIDE_LIMIT_CODES_PER_HOUR": "99", "CURBSIDE_STAFF_LOCKOUT_FAILURES": "3",
            "CURBSIDE_STAFF_LOCKOUT_SECONDS": "60", "CURBSIDE_ALERT_STREAMS_PER_OFFICER": "4", "CURBSIDE_DEV_LOG_SECRETS": "yes",
            "CURBSIDE_WECHAT_MCH_ID": "1900009191", "CURBSIDE_WECHAT_APP_ID": "wxd678efh567hg6787", "CURBSIDE_WECHAT_MERCHANT_SERIAL": "SERIAL-1",
            "CURBSIDE_WECHAT_MERCHANT_KEY": pem, "CURBSIDE_WECHAT_API_URL": "https://sandbox.example.cn/", "CURBSIDE_ALIPAY_APP_KEY": pem,
            "CURBSIDE_ALIPAY_GATEWAY": "https://openapi-sandbox.dl.alipaydev.com/gateway.do", "CURBSIDE_CHANNEL_TIMEOUT_SECONDS": "4",
            "CURBSIDE_STATEMENT_HOUR": "0", "CURBSIDE_ACQUIRER_URL": "https://acquirer.example.cn/api",
            "CURBSIDE_QUIET_HOURS": "21-8", "CURBSIDE_NOTICES_PER_DAY": "3", "CURBSIDE_SMS_SIGN_NAME": "鹤山停车", "CURBSIDE_SMS_KEY_ID": "AKID1",
            "CURBSIDE_SMS_SECRET": "sms-secret", "CURBSIDE_SMS_APP_ID": "1400006666", "CURBSIDE_SMS_REGION": "ap-beijing",
            "CURBSIDE_SMS_URL": "https://sms.example.cn/", "CURBSIDE_NOTICE_TEXTS_DIR": "/texts", "CURBSIDE_WECHAT_APP_SECRET": "app-secret",
            "CURBSIDE_WECHAT_OPEN_API_URL": "https://open.example.cn/", "CURBSIDE_INVOICE_WECHAT": "on",
            "CURBSIDE_INVOICE_PLATFORM_URL": "https://fapiao.example.cn/api/", "CURBSIDE_INVOICE_PLATFORM_SECRET": String(repeating: "s", count: 32),
            "CURBSIDE_INVOICE_TAX_CODE": "3040502029900000000", "CURBSIDE_INVOICE_TAX_RATE": "6",
            "CURBSIDE_ALIPAY_PARKING_ID": "PI1604029475000021001", "CURBSIDE_RETENTION_EVENTS_DAYS": "40", "CURBSIDE_RETENTION_IMAGES_DAYS": "120",
            "CURBSIDE_RETENTION_SESSIONS_DAYS": "365", "CURBSIDE_RETENTION_NOTICES_DAYS": "200", "CURBSIDE_RETENTION_HOUR": "4",
            "CURBSIDE_RETENTION_EVENT_ROWS_DAYS": "120",
            "CURBSIDE_ANONYMISE_KEY": String(repeating: "p", count: 32), "CURBSIDE_DRAIN_SECONDS": "3", "CURBSIDE_CLOCK_OFFSET_SECONDS": "-86400",
        ])
        #expect(c.files.data == "/var/lib/curbside" && c.store.location == .sqlite(path: "/srv/c.sqlite"))
        #expect(c.files.zones == "z" && c.files.tariffs == "t" && c.files.evidence == "/e" && c.files.concession == "/c.yaml")
        #expect(!c.store.seedOnStart && c.store.poolSize == 7 && c.store.poolTimeoutSeconds == 66 && !c.backgroundJobs)
        #expect(c.tokens.secret?.count == 32 && c.tokens.issuer == "heshan" && c.log.level == .debug)
        #expect(c.limits.imports == 2 << 20 && c.limits.ingest == 3 << 20 && c.limits.image == 4 << 20)
        #expect(c.ingest.fusion.debounce == 61_000 && c.ingest.fusion.association == 62_000 && c.ingest.fusion.outage == 63_000)
        #expect(c.ingest.deviceOfflineAfter == 64_000)
        #expect(c.billing.settleDelay == 65_000 && c.billing.dueDays == 14 && c.billing.payLink("x") == "https://pay.example.cn/p/x")
        #expect(c.notices == .directory("/n") && c.files.noticeTexts == "/texts")
        #expect(c.sms.signName == "鹤山停车" && c.sms.keyID == "AKID1" && c.sms.secret == "sms-secret" && c.sms.appID == "1400006666")
        #expect(c.sms.region == "ap-beijing" && c.sms.url == "https://sms.example.cn")
        #expect(c.channels.wechatAppSecret == "app-secret" && c.channels.wechatOpenAPIURL == "https://open.example.cn")
        #expect(c.channels.wechatPlatformKeyPEM != nil && c.channels.wechatAPIv3Key?.count == 32 && c.channels.alipayPublicKeyPEM != nil)
        #expect(c.channels.alipayAppID == "2021000" && c.channels.acquirerSecret == "acq")
        let merchant = try #require(c.channels.wechatMerchant)
        #expect(merchant.merchantID == "1900009191" && merchant.appID == "wxd678efh567hg6787" && merchant.serialNumber == "SERIAL-1")
        #expect(!merchant.privateKeyPEM.isEmpty && merchant.apiURL == "https://sandbox.example.cn")
        #expect(c.channels.alipayAppKeyPEM != nil && c.channels.alipayGatewayURL == "https://openapi-sandbox.dl.alipaydev.com/gateway.do")
        #expect(c.channels.timeout == 4_000 && c.channels.statementHour == 0 && c.channels.acquirerURL == "https://acquirer.example.cn/api")
        #expect(c.pacing == NoticePacing(quietHours: QuietHours(start: 21, end: 8), dailyLimit: 3))
        #expect(c.invoices.wechat && c.invoices.platformURL == "https://fapiao.example.cn/api" && c.invoices.platformSecret?.count == 32)
        #expect(c.invoices.taxCode == "3040502029900000000" && c.invoices.taxRate == 600)
        #expect(c.channels.alipayParkingID == "PI1604029475000021001")
        #expect(c.retention.periods.events == 40 && c.retention.periods.images == 120 && c.retention.periods.sessions == 365)
        #expect(c.retention.periods.eventRows == 120)
        #expect(c.retention.periods.notices == 200 && c.retention.hour == 4 && c.retention.key?.count == 32 && c.edge.drainSeconds == 3)
        #expect(c.city.clockOffsetSeconds == -86_400 && abs(c.city.clock().timeIntervalSinceNow + 86_400) < 60)
        #expect(c.arrears.reminderDays == [3, 9] && c.arrears.makeUpDays == 20 && c.arrears.finalNoticeDays == 10 && c.arrears.referAfterDays == 5)
        #expect(c.patrol.overstayAfter == 8 * 3_600_000 && c.patrol.alertArrearsFen == 900 && c.patrol.beatListMaxAge == 0)
        #expect(c.cityFeed?.url == "https://feed.example.cn" && c.cityFeed?.keyID == "k1" && c.cityFeed?.secret == "sixteen-bytes-ok")
        #expect(c.edge.idleTimeout == 40 && c.edge.trustedProxies == ["10.0.0.0/8", "192.168.1.1"])
        #expect(c.edge.staffSignInPerAddress.limit == 1 && c.edge.codeSignInsPerAddress.limit == 2 && c.edge.codesPerAddress.limit == 3)
        #expect(c.edge.lookupsPerAddress.limit == 4 && c.edge.receiptsPerAddress.limit == 5 && c.edge.bindingsPerCitizen.limit == 6)
        #expect(c.edge.codesPerPhone == .init(7, per: 3600) && c.edge.codesPerHour == 99)
        #expect(c.edge.staffLockoutFailures == 3 && c.edge.staffLockoutSeconds == 60 && c.edge.alertStreamsPerOfficer == 4 && c.edge.revealSecretsInLog)
    }

    @Test("A secret that cannot be used is refused without repeating it")
    func secretNotRepeated() {
        #expect {
            _ = try CurbsideConfiguration.fromEnvironment(["CURBSIDE_WECHAT_APIV3_KEY": "not-32-characters-but-secret"])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "CURBSIDE_WECHAT_APIV3_KEY" && !"\(error)".contains("not-32")
        }
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
        ("CURBSIDE_TIME_ZONE", "Asia/Beijing"), ("CURBSIDE_LIMIT_CODES_PER_PHONE", "5 an hour"), ("CURBSIDE_ARREARS_REMINDER_DAYS", "7,,21"),
        ("CURBSIDE_BEAT_LIST_MAX_AGE_MS", "600000"), ("CURBSIDE_DB_POOL", "0"), ("CURBSIDE_DB_POOL_TIMEOUT_SECONDS", "0"), ("CURBSIDE_NOTICES", "sms"), ("CURBSIDE_STAFF_LOCKOUT_SECONDS", "-1"),
        ("CURBSIDE_DEBOUNCE_SECONDS", "9223372036854775807"), ("CURBSIDE_WECHAT_PLATFORM_KEY", "/nonexistent/key.pem"), ("CURBSIDE_JOBS", "2"),
        ("CURBSIDE_ALIPAY_GATEWAY", "ftp://openapi.alipay.com"),
        ("CURBSIDE_CHANNEL_TIMEOUT_SECONDS", "0"), ("CURBSIDE_STATEMENT_HOUR", "24"), ("CURBSIDE_ACQUIRER_URL", "acquirer.example.cn"),
        ("CURBSIDE_QUIET_HOURS", "21-21"), ("CURBSIDE_QUIET_HOURS", "9pm-8am"), ("CURBSIDE_NOTICES_PER_DAY", "0"), ("CURBSIDE_SMS_URL", "sms.example.cn"), ("CURBSIDE_WECHAT_OPEN_API_URL", "open"),
        ("CURBSIDE_INVOICE_WECHAT", "maybe"), ("CURBSIDE_INVOICE_TAX_RATE", "9%"), ("CURBSIDE_INVOICE_TAX_RATE", "101"), ("CURBSIDE_INVOICE_TAX_CODE", "30405"),
        ("CURBSIDE_INVOICE_PLATFORM_SECRET", "short"), ("CURBSIDE_INVOICE_PLATFORM_URL", "fapiao.example.cn"),
        ("CURBSIDE_RETENTION_EVENTS_DAYS", "30"), ("CURBSIDE_RETENTION_IMAGES_DAYS", "91"), ("CURBSIDE_RETENTION_SESSIONS_DAYS", "99999"),
        ("CURBSIDE_RETENTION_EVENT_ROWS_DAYS", "61"), ("CURBSIDE_RETENTION_HOUR", "24"), ("CURBSIDE_ANONYMISE_KEY", "short"), ("CURBSIDE_DRAIN_SECONDS", "121"),
        ("CURBSIDE_CLOCK_OFFSET_SECONDS", "315360001"), ("CURBSIDE_CLOCK_OFFSET_SECONDS", "1.5"), ("CURBSIDE_CLOCK_OFFSET_SECONDS", "9223372036854775808"),
    ])
    func refused(variable: String, value: String) {
        #expect {
            _ = try CurbsideConfiguration.fromEnvironment([variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test("A WeChat Pay merchant id without the rest of the merchant's settings names what is missing", arguments: [
        ([:], "CURBSIDE_WECHAT_APP_ID"),
        (["CURBSIDE_WECHAT_APP_ID": "wx1"], "CURBSIDE_WECHAT_MERCHANT_SERIAL"),
        (["CURBSIDE_WECHAT_APP_ID": "wx1", "CURBSIDE_WECHAT_MERCHANT_SERIAL": "S"], "CURBSIDE_WECHAT_MERCHANT_KEY"),
    ] as [([String: String], String)])
    func merchantIncomplete(given: [String: String], missing: String) {
        #expect {
            _ = try CurbsideConfiguration.fromEnvironment(given.merging(["CURBSIDE_WECHAT_MCH_ID": "1900009191", "CURBSIDE_WECHAT_API_URL": "https://x.example.cn"]) { $1 })
        } throws: { error in
            (error as? ConfigurationError)?.variable == missing
        }
    }

    @Test("By SMS the provider's account is required, and the quiet hours are 21-8 unless set otherwise")
    func sms() throws {
        for (provider, missing) in [("aliyun", "CURBSIDE_SMS_KEY_ID"), ("tencent", "CURBSIDE_SMS_APP_ID")] {
            let given = provider == "aliyun" ? [:] : ["CURBSIDE_SMS_KEY_ID": "AKID1", "CURBSIDE_SMS_SECRET": "s"]
            #expect {
                _ = try CurbsideConfiguration.fromEnvironment(given.merging(["CURBSIDE_NOTICES": provider]) { $1 })
            } throws: { error in
                (error as? ConfigurationError)?.variable == missing
            }
        }
        let account = ["CURBSIDE_NOTICES": "aliyun", "CURBSIDE_SMS_KEY_ID": "LTAI1", "CURBSIDE_SMS_SECRET": "s"]
        let aliyun = try CurbsideConfiguration.fromEnvironment(account)
        #expect(aliyun.notices == .aliyun && aliyun.pacing.quietHours == QuietHours(start: 21, end: 8) && aliyun.sms.signName == "路侧停车")
        #expect(try CurbsideConfiguration.fromEnvironment(account.merging(["CURBSIDE_QUIET_HOURS": "none"]) { $1 }).pacing.quietHours == nil)
        #expect(try CurbsideConfiguration.fromEnvironment(account.merging(["CURBSIDE_QUIET_HOURS": "22-7"]) { $1 }).pacing.quietHours == QuietHours(start: 22, end: 7))
        #expect(try CurbsideConfiguration.fromEnvironment([:]).pacing.quietHours == nil)
    }

    @Test("An invoicing platform's URL without its secret is refused, naming the secret")
    func invoicePlatformIncomplete() {
        #expect {
            _ = try CurbsideConfiguration.fromEnvironment(["CURBSIDE_INVOICE_PLATFORM_URL": "https://fapiao.example.cn"])
        } throws: { error in
            (error as? ConfigurationError)?.variable == "CURBSIDE_INVOICE_PLATFORM_SECRET"
        }
    }

    @Test("The shipped notice texts load: every kind in Chinese and English, each with its own template at both providers")
    func shippedTexts() throws {
        var configuration = CurbsideConfiguration(database: .sqlite(path: ":memory:"), dataDirectory: NSTemporaryDirectory())
        configuration.files.tariffs = RepositoryPaths.tariffs
        let texts = try configuration.noticeTexts()
        #expect(texts.languages == ["en", "zh"])
        for provider in ["aliyun", "tencent"] {
            let ids = texts.languages.flatMap { language in NoticeKind.allCases.map { texts.text($0, language: language).templates[provider] } }
            #expect(!ids.contains(nil) && Set(ids).count == ids.count, "\(provider): \(ids)")
        }
        // A text a provider could not send stops the start with the file named.
        let broken = NSTemporaryDirectory() + "curbside-broken-texts-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: RepositoryPaths.tariffs + "/notices", toPath: broken)
        try Data("提醒 ${plate} ${code}".utf8).write(to: URL(fileURLWithPath: broken + "/en/reminder.txt"))
        configuration.files.noticeTexts = broken
        #expect {
            _ = try configuration.noticeTexts()
        } throws: { error in
            (error as? ConfigurationError)?.variable == "CURBSIDE_NOTICE_TEXTS_DIR" && "\(error)".contains("en/reminder.txt") && "\(error)".contains("${code}")
        }
        configuration.files.noticeTexts = "/nonexistent"
        #expect(throws: ConfigurationError.self) { try configuration.noticeTexts() }
    }
}
