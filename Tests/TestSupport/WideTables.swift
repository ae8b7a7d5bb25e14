import Linalg

/// Wide tables for MICE's nearest-features tests (issue 24, defect H).
public enum WideTables {
    /// n × d, column j = a row factor times (j mod 5 + 1) plus noise; about 20 % missing, none in row 0.
    public static func factorTable(rows n: Int, cols d: Int, seed: UInt64) -> Matrix {
        var random = RandomSource(seed: seed)
        var m = Matrix(rows: n, cols: d)
        for i in 0..<n {
            let factor = random.uniform() * 4 - 2
            for j in 0..<d {
                let missing = i > 0 && random.uniform() < 0.2
                m[i, j] = missing ? .nan : Float(factor * Double(j % 5 + 1) + random.uniform())
            }
        }
        return m
    }
}
