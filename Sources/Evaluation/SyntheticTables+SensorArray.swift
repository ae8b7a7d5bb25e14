import Foundation
import Linalg

extension SyntheticTables {
    /// A wide, redundant table: `columns` sensors, each a smooth nonlinear function of
    /// `factors` hidden factors h ~ N(0, I), plus noise of 1 % of the sensor's signal scale:
    ///
    ///     sensor j = a_j · tanh(w_j · h + b_j) + c_j · sin(v_j · h) + 0.01 · s_j · ε
    ///
    /// with w_j, v_j ~ N(0, I/factors), b_j ~ N(0, 0.5²), a_j ~ U(0.5, 2), c_j ~ U(0, 0.5) drawn once
    /// from `random` before the rows, s_j = a_j + c_j, ε fresh N(0, 1) per cell. Any 4 or so sensors
    /// pin the factors, so a missing sensor is nearly a function of the others: a donor row with
    /// the same factors is almost a copy.
    package static func sensorArray(rows n: Int, columns d: Int = 128, factors k: Int = 4, random: inout RandomSource) -> Matrix {
        precondition(n >= 0 && d >= 1 && k >= 1)
        let scale = 1 / Double(k).squareRoot()
        var w = [[Double]](), v = [[Double]](), a = [Double](), b = [Double](), c = [Double]()
        for _ in 0..<d {
            w.append((0..<k).map { _ in random.normal() * scale })
            v.append((0..<k).map { _ in random.normal() * scale })
            b.append(0.5 * random.normal())
            a.append(0.5 + 1.5 * Double(random.uniformFloat()))
            c.append(0.5 * Double(random.uniformFloat()))
        }
        var table = Matrix(rows: n, cols: d)
        var h = [Double](repeating: 0, count: k)
        for i in 0..<n {
            for f in 0..<k { h[f] = random.normal() }
            for j in 0..<d {
                var wh = b[j], vh = 0.0
                for f in 0..<k { wh += w[j][f] * h[f]; vh += v[j][f] * h[f] }
                let signal = a[j] * tanh(wh) + c[j] * sin(vh)
                table[i, j] = Float(signal + 0.01 * (a[j] + c[j]) * random.normal())
            }
        }
        return table
    }
}
