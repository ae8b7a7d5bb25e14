// swift-tools-version:6.1
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
    // `swift build --traits MPI`: `miri fit`, `apply` and `impute` data-parallel under mpirun
    // (Open MPI; docs/scaling.md). Off by default: the default build needs no MPI.
    traits: [
        .trait(name: "MPI", description: "Data-parallel fit and apply under mpirun (needs Open MPI: scripts/setup.sh --mpi)"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation --target MIRI` (the DocC catalog in Sources/MIRI).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // SHA-256 of the benchmark's mask digests (the same digests as ../shared/reference/masks.py).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
        // Implementation detail of the MPI build: Open MPI's C interface, with the handles
        // (MPI_COMM_WORLD, MPI_FLOAT, …) that are macros returned by inline functions.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        // The collectives of a data-parallel run over MPI (empty without the MPI trait).
        .target(name: "Cluster", dependencies: ["Flow", "Linalg", .target(name: "CMPI", condition: .when(traits: ["MPI"]))]),
        .target(name: "Flow", dependencies: ["Linalg"]),
        // The imputers behind one contract, a folder per method (Core, Mean, KNN, MICE, MIRI, Schema).
        .target(name: "Imputation", dependencies: ["Linalg", "Flow"]),
        // How imputations are judged: metrics, MINE, the benchmark's masks and their digests,
        // synthetic tables. Serves the benchmark, the demo and the tests; users may call it too.
        .target(name: "Evaluation", dependencies: ["Linalg", "Flow", "Imputation", "Plotting", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "TableIO", dependencies: ["Linalg"]),
        // Implementation detail of the two executables: hand-written SVG pictures.
        .target(name: "Plotting"),
        .target(name: "ModelStore", dependencies: ["Imputation", "Flow", "Linalg", "TableIO"]),
        // The umbrella module of the library product: re-exports the six modules it depends on.
        .target(name: "MIRI", dependencies: ["Linalg", "Flow", "Imputation", "Evaluation", "TableIO", "ModelStore"]),
        .executableTarget(
            name: "miri",
            dependencies: ["MIRI", "Imputation", "Evaluation", "ModelStore", "TableIO", "Plotting", "Cluster", "Flow", "Linalg", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "miri-bench",
            dependencies: ["Imputation", "Evaluation", "TableIO", "Plotting", "Flow", "Linalg", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/miri-bench"
        ),

        // Tests mirror the modules.
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "FlowTests", dependencies: ["Flow", "Imputation", "Linalg", "TestSupport"]),
        // Implementation detail of the tests: the shared benchmark tables, scratch folders,
        // running a built executable, and a Communicator over threads (the distributed paths in-process).
        .target(name: "TestSupport", dependencies: ["Flow", "Imputation", "Linalg"], path: "Tests/TestSupport"),
        .testTarget(name: "ImputationTests", dependencies: ["Imputation", "Evaluation", "Flow", "Linalg", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Imputation", "Flow", "Linalg", "TestSupport"]),
        .testTarget(name: "TableIOTests", dependencies: ["TableIO", "Linalg", "TestSupport"]),
        .testTarget(name: "MIRITests", dependencies: ["MIRI", "Imputation", "Evaluation", "TableIO", "Flow", "Linalg", "TestSupport"]),
        .testTarget(name: "MiriCLITests", dependencies: ["miri", "MIRI", "ModelStore", "Imputation", "Evaluation", "Flow", "Linalg", "TestSupport"]),
        .testTarget(name: "ModelStoreTests", dependencies: ["ModelStore", "Imputation", "Flow", "Linalg", "TestSupport"]),
        .testTarget(name: "BenchTests", dependencies: ["miri-bench", "Linalg", "TestSupport"]),
    ]
)
