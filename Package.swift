// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MIRI",
    platforms: [.macOS(.v13)],
    products: [
        // Public modules: numerics, the flow model, the imputers, CSV I/O.
        .library(name: "Linalg", targets: ["Linalg"]),
        .library(name: "Flow", targets: ["Flow"]),
        .library(name: "Imputation", targets: ["Imputation"]),
        .library(name: "TableIO", targets: ["TableIO"]),
        .library(name: "ModelStore", targets: ["ModelStore"]),
        .executable(name: "miri", targets: ["miri"]),
        .executable(name: "miri-bench", targets: ["miri-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .executableTarget(
            name: "miri",
            dependencies: ["Imputation", "ModelStore", "TableIO", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "miri-bench",
            dependencies: ["Imputation", "TableIO", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/miri-bench"
        ),

        // Tests mirror the modules.
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "FlowTests", dependencies: ["Flow"]),
        // Implementation detail of the tests: where the shared benchmark tables are.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ImputationTests", dependencies: ["Imputation", "Flow", "TestSupport"]),
        .testTarget(name: "TableIOTests", dependencies: ["TableIO"]),
        .testTarget(name: "MiriCLITests", dependencies: ["miri", "ModelStore", "Imputation", "Flow", "TestSupport"]),
        .testTarget(name: "ModelStoreTests", dependencies: ["ModelStore", "Imputation", "Flow", "Linalg"]),
        .testTarget(name: "BenchTests", dependencies: ["miri-bench", "Linalg", "TestSupport"]),
    ]
)
