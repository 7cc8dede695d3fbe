// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "slcfg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "slcfg", targets: ["slcfg"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "CfgDocument"),
        .target(name: "Handset", dependencies: ["CfgDocument"]),
        .target(name: "Editor", dependencies: ["CfgDocument", "Handset"]),
        .executableTarget(
            name: "slcfg",
            dependencies: [
                "CfgDocument", "Handset", "Editor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "slcfg-bench", dependencies: ["CfgDocument", "Editor"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "CfgDocumentTests",
            dependencies: ["CfgDocument", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "HandsetTests", dependencies: ["Handset", "CfgDocument"]),
        .testTarget(name: "EditorTests", dependencies: ["Editor", "CfgDocument", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ]
)
