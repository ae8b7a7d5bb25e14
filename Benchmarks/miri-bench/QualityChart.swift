import Plotting
import Foundation

/// quality.svg: three panels of grouped bars (one group per dataset, one bar per method):
/// RMSE and MMD on linear axes from 0, seconds on a log axis. Bars are means over the seeds that
/// finished, whiskers ± one sample std; a method with no finished run is marked "div." / "fail".
enum QualityChart {
    static let palette = ["mean": "#9e9e9e", "knn": "#1f77b4", "miri": "#d62728", "noise": "#bcbd22"]
    static let fallback = ["#2ca02c", "#9467bd", "#8c564b", "#e377c2"]

    struct Panel {
        var title: String
        var value: (MethodSummary) -> (mean: Double, std: Double)
        var logScale: Bool
    }

    static func svg(datasets: [String], methods: [String], summaries: [MethodSummary], title: String) -> String {
        let panels = [
            Panel(title: "RMSE over the missing entries (point metric; lower is better)",
                  value: { let s = $0.stats(\.rmse); return (s.mean, s.std) }, logScale: false),
            Panel(title: "MMD to the true table (distributional; lower is better)",
                  value: { let s = $0.stats(\.mmd); return (s.mean, s.std) }, logScale: false),
            Panel(title: "wall seconds of the imputation call (log scale)",
                  value: { ($0.seconds, 0) }, logScale: true),
        ]
        let barWidth = 16.0, gap = 26.0
        let longestName = Double(datasets.map(\.count).max() ?? 4)
        let minimumGroup = max(Double(max(methods.count, 1)) * barWidth + gap, longestName * 6.6 + 12)
        let subtitle = title.split(separator: "\n").map(String.init)
        let legendY = 46 + 14 * Double(subtitle.count)
        let left = 70.0, right = 20.0, top = legendY + 34, panelHeight = 200.0, panelGap = 70.0
        let width = max(640, left + right + Double(max(datasets.count, 1)) * minimumGroup)
        let groupWidth = (width - left - right) / Double(max(datasets.count, 1))
        let barsWidth = Double(methods.count) * barWidth
        let height = top + Double(panels.count) * (panelHeight + panelGap)
        var out = SVG(width: width, height: height)
        out.text("miri-bench quality", x: left, y: 22, size: 15, weight: "bold")
        for (i, line) in subtitle.enumerated() { out.text(line, x: left, y: 40 + 14 * Double(i), size: 11, fill: "#555") }

        // Legend.
        var lx = left
        for (i, method) in methods.enumerated() {
            out.rect(x: lx, y: legendY - 10, width: 12, height: 12, fill: color(method, index: i), stroke: "none")
            out.text(method, x: lx + 16, y: legendY + 1, size: 12)
            lx += 24 + Double(method.count) * 7.5
        }

        func summary(_ dataset: String, _ method: String) -> MethodSummary? {
            summaries.first { $0.dataset == dataset && $0.method == method }
        }

        for (p, panel) in panels.enumerated() {
            let y0 = top + Double(p) * (panelHeight + panelGap) + 24     // top of the plot area
            let y1 = y0 + panelHeight                                     // its bottom
            out.text(panel.title, x: left, y: y0 - 10, size: 13, weight: "bold")
            // Axis range.
            var values: [Double] = []
            for d in datasets { for m in methods { if let s = summary(d, m) {
                let v = panel.value(s)
                if v.mean.isFinite, !panel.logScale || v.mean > 0 { values.append(v.mean + (v.std.isFinite ? v.std : 0)) }
            } } }
            let scale: (Double) -> Double
            var ticks: [(Double, String)] = []
            if panel.logScale {
                let positives = values.filter { $0 > 0 }
                let lo = floor(log10(positives.min() ?? 1e-3)), hi = max(ceil(log10(positives.max() ?? 1)), lo + 1)
                scale = { v in y1 - (log10(max(v, pow(10, lo))) - lo) / (hi - lo) * panelHeight }
                for e in Int(lo)...Int(hi) { ticks.append((pow(10, Double(e)), tickLabel(pow(10, Double(e))))) }
            } else {
                let step = niceCeiling((values.max() ?? 1) / 4)
                let count = max(1, Int(((values.max() ?? 1) / step).rounded(.up)))
                let top = step * Double(count)
                scale = { v in y1 - v / top * panelHeight }
                for k in 0...count { let v = step * Double(k); ticks.append((v, tickLabel(v))) }
            }
            for (v, label) in ticks {
                let y = scale(v)
                out.line(left, y, width - right, y, stroke: "#e4e4e4")
                out.text(label, x: left - 6, y: y + 4, size: 11, anchor: "end", fill: "#555")
            }
            out.line(left, y1, width - right, y1, stroke: "#444")
            out.line(left, y0, left, y1, stroke: "#444")

            for (g, dataset) in datasets.enumerated() {
                let gx = left + Double(g) * groupWidth + (groupWidth - barsWidth) / 2
                out.text(dataset, x: gx + barsWidth / 2, y: y1 + 16, size: 11, anchor: "middle")
                for (i, method) in methods.enumerated() {
                    guard let s = summary(dataset, method) else { continue }
                    let x = gx + Double(i) * barWidth
                    let v = panel.value(s)
                    guard v.mean.isFinite else {
                        out.text(s.failureWord == "diverged" ? "div." : "fail", x: x + barWidth / 2, y: y1 - 4, size: 9,
                                 anchor: "start", fill: color(method, index: i), rotate: true)
                        continue
                    }
                    let yTop = scale(v.mean)
                    out.rect(x: x + 1, y: yTop, width: barWidth - 2, height: max(y1 - yTop, 0.5), fill: color(method, index: i),
                             stroke: "none")
                    if v.std > 0, v.std.isFinite {
                        let ya = scale(v.mean + v.std), yb = scale(max(v.mean - v.std, panel.logScale ? v.mean / 10 : 0))
                        out.line(x + barWidth / 2, ya, x + barWidth / 2, yb, stroke: "#222")
                        out.line(x + barWidth / 2 - 3, ya, x + barWidth / 2 + 3, ya, stroke: "#222")
                    }
                }
            }
        }
        return out.document
    }

    static func color(_ method: String, index: Int) -> String {
        palette[method] ?? fallback[index % fallback.count]
    }

    /// The smallest 1, 2, 2.5 or 5 × 10^k at or above `x` (1 for x ≤ 0).
    static func niceCeiling(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = pow(10, floor(log10(x)))
        for f in [1.0, 2, 2.5, 5, 10] where f * e >= x * (1 - 1e-12) { return f * e }
        return 10 * e
    }

    static func tickLabel(_ v: Double) -> String {
        if v == 0 { return "0" }
        if v >= 1000 || v < 0.001 {
            let e = Int(log10(v).rounded())
            if abs(v - pow(10, Double(e))) < 1e-9 * v { return "1e\(e)" }
            return String(format: "%.0e", v)
        }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
