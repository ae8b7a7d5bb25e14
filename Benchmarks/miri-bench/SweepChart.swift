import Foundation
import Plotting

/// sweep.svg: one panel per metric (RMSE, W1, CRPS), the metric's mean over tables against the
/// seconds of one pass over them (log axis). Each panel draws its own cost/quality front as a line;
/// the pick is red, unstable variants are hollow.
enum SweepChart {
    static func svg(_ a: SweepAnalysis) -> String {
        var metrics: [(String, (SweepAnalysis.Variant) -> Double)] = [("RMSE", { $0.rmse }), ("W1", { $0.w1 })]
        if a.variants.allSatisfy({ $0.crps.isFinite }) { metrics.append(("CRPS", { $0.crps })) }
        let panelWidth = 330.0, panelHeight = 300.0, left = 60.0, gap = 70.0, top = 70.0
        var svg = SVG(width: left + Double(metrics.count) * (panelWidth + gap), height: top + panelHeight + 60)
        svg.text("MIRI variants: quality against cost", x: left, y: 22, size: 15, weight: "bold")
        svg.text("mean over \(a.datasets.joined(separator: ", ")) (seeds \(a.seeds.map(String.init).joined(separator: ","))); "
                 + "dashed: each metric's front; green: best stable quality index; red: cheapest within 3% of it; hollow: not stable", x: left, y: 40, size: 11, fill: "#555")
        let points = a.variants.filter { $0.seconds > 0 && $0.seconds.isFinite }
        let seconds = points.map(\.seconds)
        let lo = floor(log10(seconds.min() ?? 1) * 4) / 4, hi = ceil(log10(seconds.max() ?? 10) * 4) / 4
        for (k, metric) in metrics.enumerated() {
            let values = points.map(metric.1).filter(\.isFinite)
            guard let vMin = values.min(), let vMax = values.max() else { continue }
            let pad = max((vMax - vMin) * 0.12, vMax * 0.01)
            let area = PlotArea(left: left + Double(k) * (panelWidth + gap), top: top, width: panelWidth, height: panelHeight,
                                xRange: lo...max(hi, lo + 0.5), yRange: (vMin - pad)...(vMax + pad))
            let xTicks = (Int(floor(lo))...Int(ceil(hi))).flatMap { e in [1.0, 2, 5].map { log10($0) + Double(e) } }
            area.drawAxes(on: &svg, xLabel: "seconds, one pass over the tables (log)", yLabel: metric.0,
                          xTicks: xTicks, yTicks: niceTicks(area.yRange),
                          xFormat: tickText)
            svg.text(metric.0 + " (lower is better)", x: area.left, y: top - 10, size: 13, weight: "bold")
            // This metric's front: sorted by cost, keep each point better than every cheaper one.
            var front: [(Double, Double)] = [], bestSoFar = Double.infinity
            for v in points.sorted(by: { $0.seconds < $1.seconds }) where metric.1(v) < bestSoFar {
                bestSoFar = metric.1(v)
                front.append((area.px(log10(v.seconds)), area.py(bestSoFar)))
            }
            svg.polyline(front, stroke: "#888", width: 1.5, dash: "4 3")
            for v in points {
                let x = area.px(log10(v.seconds)), y = area.py(metric.1(v))
                let color = v.name == a.best ? "#2ca02c" : v.name == a.pick ? "#d62728" : "#1f77b4"
                if v.stable { svg.dots([(x, y)], radius: 4, fill: color) } else {
                    svg.add(#"<circle cx="\#(x)" cy="\#(y)" r="4" fill="white" stroke="\#(color)" stroke-width="1.5"/>"#)
                }
                svg.text(v.name, x: x + 6, y: y - 5, size: 9, fill: color)
            }
        }
        return svg.document
    }

    /// Tick labels on the log axis: 1, 2, 5 × 10^k seconds as plain numbers.
    static func tickText(_ logValue: Double) -> String {
        let v = pow(10, logValue)
        return v >= 1 ? String(format: "%.0f", v) : String(format: "%g", (v * 1000).rounded() / 1000)
    }
}
