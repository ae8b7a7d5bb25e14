import Foundation

/// Kernel density estimates of one column's observed values and of its imputed values, side by
/// side per column: what R's mice draws with `densityplot`, to see whether the draws look like
/// the data.
public enum DensityPlot {
    /// A Gaussian kernel density estimate of `values` on `grid`, with Silverman's bandwidth
    /// 0.9·min(sd, IQR/1.34)·n^(−1/5) (a small floor when the values do not vary).
    public static func density(_ values: [Double], grid: [Double]) -> [Double] {
        let n = Double(values.count)
        guard values.count >= 1 else { return grid.map { _ in 0 } }
        let mean = values.reduce(0, +) / n
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)).squareRoot()
        let sorted = values.sorted()
        let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25)
        var spread = min(sd, iqr / 1.34)
        if !(spread > 0) { spread = sd > 0 ? sd : max(abs(mean) * 1e-3, 1e-3) }
        let h = 0.9 * spread * pow(n, -0.2)
        let norm = 1 / (n * h * (2 * Double.pi).squareRoot())
        return grid.map { x in norm * values.reduce(0) { $0 + exp(-0.5 * (($1 - x) / h) * (($1 - x) / h)) } }
    }

    /// Type-7 quantile of sorted values.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// One panel per column with missing cells in `observed` (NaN = missing): the observed values'
    /// density in blue, the imputed cells' over all `draws` (pooled) in red, each draw's in thin red.
    public static func svg(observed: [Float], rows: Int, cols: Int, draws: [[Float]], names: [String], title: String) -> String {
        let imputedColumns = (0..<cols).filter { j in (0..<rows).contains { observed[$0 * cols + j].isNaN } }
        let panelWidth = 320.0, panelHeight = 220.0, perRow = max(1, min(3, imputedColumns.count))
        let panelRows = max(1, (imputedColumns.count + perRow - 1) / perRow)
        var svg = SVG(width: Double(perRow) * panelWidth + 20, height: Double(panelRows) * panelHeight + 50)
        svg.text(title, x: 14, y: 24, size: 14, weight: "bold")
        if imputedColumns.isEmpty { svg.text("nothing was missing", x: 14, y: 50) }
        for (index, j) in imputedColumns.enumerated() {
            let seen = (0..<rows).compactMap { i -> Double? in observed[i * cols + j].isNaN ? nil : Double(observed[i * cols + j]) }
            let missing = (0..<rows).filter { observed[$0 * cols + j].isNaN }
            let perDraw = draws.map { d in missing.map { Double(d[$0 * cols + j]) } }
            let all = seen + perDraw.flatMap { $0 }
            guard let low = all.min(), let high = all.max() else { continue }
            let pad = high > low ? 0.1 * (high - low) : 1
            let grid = (0...100).map { low - pad + Double($0) / 100 * (high - low + 2 * pad) }
            let observedDensity = density(seen, grid: grid)
            let imputedDensity = density(perDraw.flatMap { $0 }, grid: grid)
            let drawDensities = perDraw.map { density($0, grid: grid) }
            let top = max(observedDensity.max() ?? 0, imputedDensity.max() ?? 0, drawDensities.flatMap { $0 }.max() ?? 0)
            let area = PlotArea(left: 10 + Double(index % perRow) * panelWidth + 50, top: 40 + Double(index / perRow) * panelHeight + 10,
                                width: panelWidth - 70, height: panelHeight - 60,
                                xRange: grid[0]...grid[grid.count - 1], yRange: 0...(top > 0 ? top * 1.05 : 1))
            area.drawAxes(on: &svg, xLabel: "\(names.indices.contains(j) ? names[j] : "column \(j + 1)") (\(missing.count) imputed)",
                          yLabel: "density", xTicks: niceTicks(area.xRange, count: 4), yTicks: niceTicks(area.yRange, count: 3))
            for d in drawDensities { svg.polyline(zip(grid, d).map { (area.px($0), area.py($1)) }, stroke: "#e8a0a0", width: 0.8) }
            svg.polyline(zip(grid, imputedDensity).map { (area.px($0), area.py($1)) }, stroke: "#c0392b", width: 2)
            svg.polyline(zip(grid, observedDensity).map { (area.px($0), area.py($1)) }, stroke: "#1f5fa8", width: 2)
        }
        return svg.document
    }
}
