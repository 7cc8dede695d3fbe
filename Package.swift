// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets, only when SLCFG_FUZZ is set (Tests/Fuzz/run.sh builds them with --sanitize=fuzzer).
let fuzzTargets: [Target] = Context.environment["SLCFG_FUZZ"] == nil ? [] : [
    .executableTarget(name: "FuzzScanner", dependencies: ["CfgDocument"], path: "Tests/Fuzz/FuzzScanner",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(name: "FuzzCertificates", dependencies: ["Certificates"], path: "Tests/Fuzz/FuzzCertificates",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(name: "FuzzSafeText", dependencies: ["SafeText"], path: "Tests/Fuzz/FuzzSafeText",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(name: "FuzzEditor", dependencies: ["Editor", "Screen", "Files", "Certificates"], path: "Tests/Fuzz/FuzzEditor",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
]

// Linux only: the atomic save and the terminal call Glibc (see README, "Install").
let package = Package(
    name: "slcfg",
    products: [
        .executable(name: "slcfg", targets: ["slcfg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "CfgDocument"),
        .target(name: "SafeText"),
        .target(
            name: "Certificates",
            dependencies: [
                "SafeText",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .systemLibrary(name: "CXattr"),
        .target(name: "Files", dependencies: ["CXattr"]),
        .target(
            name: "Probe",
            dependencies: [
                "Files", "Handset", "Certificates",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "Handset", dependencies: ["CfgDocument", "Certificates", "SafeText"], exclude: ["Generated/generate_catalogue.py"]),
        .target(name: "Editor", dependencies: ["CfgDocument", "Handset", "Certificates", "Files", "Probe"]),
        .target(
            name: "Screen",
            dependencies: [
                "Editor", "Handset", "Certificates", "CfgDocument", "SafeText",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            exclude: ["generate_builtin_themes.py"]
        ),
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "Terminal", dependencies: ["CNCursesW", "Screen", "Editor", "Handset", "Files", "Certificates", "Probe"]),
        .executableTarget(
            name: "slcfg",
            dependencies: [
                "CfgDocument", "Certificates", "Handset", "Files", "Editor", "Screen", "Terminal", "Probe", "SafeText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["slcfg.1"]
        ),
        .executableTarget(name: "slcfg-bench", dependencies: ["CfgDocument", "Files", "Editor", "Screen", "Handset"]),
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "CfgDocumentTests",
            dependencies: ["CfgDocument", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "CertificatesTests", dependencies: ["Certificates", "TestSupport"]),
        .testTarget(name: "HandsetTests", dependencies: ["Handset", "CfgDocument", "Certificates", "TestSupport"]),
        .testTarget(name: "EditorTests", dependencies: ["Editor", "Files", "CfgDocument", "Handset", "Certificates", "TestSupport"]),
        .testTarget(name: "ScreenTests", dependencies: ["Screen", "Editor", "Files", "Handset", "CfgDocument", "Certificates", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ] + fuzzTargets
)
