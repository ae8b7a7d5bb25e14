// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MIRI",
    platforms: [.macOS(.v13)],
    products: [
        // The library: `import MIRI` gives everything (the modules below, re-exported).
        .library(name: "MIRI", targets: ["MIRI"]),
        .executable(name: "miri", targets: ["miri"]),
        .executable(name: "miri-bench", targets: ["miri-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation --target MIRI` (the DocC catalog in Sources/MIRI).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Implementation detail: the OpenBLAS C interface. Only Linalg imports it.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Implementation detail: cpuid, OpenBLAS's core switch, and the elementwise kernels built
        // for AVX2 and AVX-512, chosen at run time (the binary itself stays baseline x86-64).
        .target(name: "CKernels", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "Linalg", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "Flow", dependencies: ["Linalg"]),
        .target(name: "Imputation", dependencies: ["Linalg", "Flow"]),
        .target(name: "TableIO", dependencies: ["Linalg"]),
        // Implementation detail of the two executables: hand-written SVG pictures.
        .target(name: "Plotting"),
        .target(name: "ModelStore", dependencies: ["Imputation", "Flow", "Linalg", "TableIO"]),
        // The umbrella module of the library product: re-exports the five modules above.
        .target(name: "MIRI", dependencies: ["Linalg", "Flow", "Imputation", "TableIO", "ModelStore"]),
        .executableTarget(
            name: "miri",
            dependencies: ["MIRI", "Imputation", "ModelStore", "TableIO", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "miri-bench",
            dependencies: ["Imputation", "TableIO", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/miri-bench"
        ),

        // Tests mirror the modules.
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "FlowTests", dependencies: ["Flow"]),
        // Implementation detail of the tests: the shared benchmark tables, scratch folders, and
        // running a built executable.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ImputationTests", dependencies: ["Imputation", "Flow", "TestSupport"]),
        .testTarget(name: "TableIOTests", dependencies: ["TableIO", "TestSupport"]),
        .testTarget(name: "MiriCLITests", dependencies: ["miri", "ModelStore", "Imputation", "Flow", "TestSupport"]),
        .testTarget(name: "ModelStoreTests", dependencies: ["ModelStore", "Imputation", "Flow", "Linalg", "TestSupport"]),
        .testTarget(name: "BenchTests", dependencies: ["miri-bench", "Linalg", "TestSupport"]),
    ]
)
