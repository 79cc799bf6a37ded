// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "curbside",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "curbside", targets: ["curbside"]),
        .executable(name: "curbside-bench", targets: ["CurbsideBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/vapor/jwt.git", from: "5.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.0.1"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.24.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // Environment variables only: the file formats' traits stay off.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "CurbsideCore"
        ),
        .target(
            name: "CurbsideSimulation",
            dependencies: [
                "CurbsideAPI", "CurbsideCore", "CurbsideMessaging", "CurbsidePayments", "CZlib", .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Vapor", package: "vapor"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "CurbsideStore",
            dependencies: [
                "CurbsideCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "CurbsidePayments",
            dependencies: [
                "CurbsideCore",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "CurbsideMessaging",
            dependencies: [
                "CurbsideCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "CurbsideAPI",
            dependencies: [
                "CurbsideCore",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("openapi.yaml")],
            plugins: [
                .plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator"),
            ]
        ),
        .target(
            name: "CurbsideRender",
            dependencies: ["CurbsideCore", "CPNG"]
        ),
        .target(
            name: "CurbsideServer",
            dependencies: [
                "CurbsideAPI",
                "CurbsideCore",
                "CurbsideStore",
                "CurbsideRender",
                "CurbsidePayments",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: [
                .plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator"),
            ]
        ),
        .executableTarget(
            name: "curbside",
            dependencies: [
                "CurbsideServer",
                "CurbsideStore",
                "CurbsideSimulation",
                "CurbsideAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "CurbsideBench",
            dependencies: [
                "CurbsideAPI",
                "CurbsideServer",
                "CurbsideStore",
                "CurbsideSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "CurbsideTestThreads",
            path: "Tests/CurbsideTestThreads"
        ),
        .target(
            name: "CurbsideStoreTestSupport",
            dependencies: [
                "CurbsideCore",
                "CurbsideStore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/CurbsideStoreTestSupport"
        ),
        .target(
            name: "CurbsideTestSupport",
            dependencies: [
                "CurbsideAPI",
                "CurbsideCore",
                "CurbsideStore",
                "CurbsideStoreTestSupport",
                "CurbsideServer",
                "CurbsideSimulation",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/CurbsideTestSupport"
        ),
        .testTarget(
            name: "CurbsideCoreTests",
            dependencies: [
                "CurbsideCore",
                "CurbsideTestThreads",
                .product(name: "Yams", package: "Yams"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "CurbsideSimulationTests",
            dependencies: ["CurbsideSimulation", "CurbsideTestSupport", "CurbsideTestThreads"]
        ),
        .testTarget(
            name: "CurbsideMessagingTests",
            dependencies: [
                "CurbsideMessaging",
                "CurbsideSimulation",
                "CurbsideTestSupport",
                "CurbsideTestThreads",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "CurbsidePaymentsTests",
            dependencies: [
                "CurbsidePayments",
                "CurbsideSimulation",
                "CurbsideStoreTestSupport",
                "CurbsideTestSupport",
                "CurbsideTestThreads",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "CurbsideRenderTests",
            dependencies: ["CurbsideRender", "CurbsideTestThreads"]
        ),
        .testTarget(
            name: "CurbsideStoreTests",
            dependencies: ["CurbsideStore", "CurbsideStoreTestSupport", "CurbsideTestThreads"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["curbside", "CurbsideBench", "CurbsideTestSupport", "CurbsideTestThreads"]
        ),
        .testTarget(
            name: "CurbsideServerTests",
            dependencies: ["CurbsideServer", "CurbsideSimulation", "CurbsideRender", "CurbsideTestSupport", "CurbsideTestThreads", .product(name: "Yams", package: "Yams")]
        ),
    ]
)
