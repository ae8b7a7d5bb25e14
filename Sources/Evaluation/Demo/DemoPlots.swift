import Foundation
import Linalg
import Plotting

/// The demo's pictures: scatter panels of one column pair, and MIRI's convergence by round.
package enum DemoPlots {
    package enum Panel {
        /// Every row of the true table.
        case truth
        /// Complete rows as dots; a row missing one of the two coordinates as a tick on the
        /// axis of the coordinate it still has.
        case masked
        /// The rows with an imputed coordinate in `color`, over the complete rows in grey.
        case imputed(String, Matrix, color: String)
    }

    /// The demo's pictures of `outcomes`: a scatter of each table (two moons: truth, masked,
    /// MIRI, kNN; the copula table's gauss and square: truth, MIRI, kNN, mean) and MIRI's
    /// convergence, each with its file name and what it shows.
    package static func pictures(_ outcomes: [DemoOutcome]) -> [(name: String, what: String, svg: SVG)] {
        var pictures: [(name: String, what: String, svg: SVG)] = []
        for o in outcomes {
            guard let miri = o.score("miri"), let knn = o.score("knn"), let mean = o.score("mean") else { continue }
            if o.dataset.slug == "two-moons" {
                let svg = scatter(o, cx: 0, cy: 1, panels: [
                    .truth, .masked,
                    .imputed("MIRI", miri.imputed, color: miriColor),
                    .imputed("kNN (k = 5)", knn.imputed, color: knnColor),
                ], caption: "Two moons, 40% of cells masked: truth, masked, MIRI's and kNN's imputations")
                pictures.append(("two-moons.svg", "two moons: truth, masked, MIRI, kNN", svg))
            } else {
                let svg = scatter(o, cx: 0, cy: 3, panels: [
                    .truth,
                    .imputed("MIRI", miri.imputed, color: miriColor),
                    .imputed("kNN (k = 5)", knn.imputed, color: knnColor),
                    .imputed("mean", mean.imputed, color: meanColor),
                ], caption: "Copula table, columns gauss and square (= gauss squared + noise): truth, MIRI, kNN, mean")
                pictures.append(("\(o.dataset.slug).svg", "copula table, gauss vs square: truth, MIRI, kNN, mean", svg))
            }
        }
        pictures.append(("convergence.svg", "MIRI's RMSE and W1 by round, with kNN and mean for reference",
                         convergence(outcomes, caption: "MIRI round by round (standardized scale; round 0 = noise fill)")))
        return pictures
    }

    package static let miriColor = "#1f6fd1", knnColor = "#e07b00", meanColor = "#2a9d4b", maskColor = "#c0392b"

    /// A row of scatter panels of columns (`cx`, `cy`) of `outcome`'s table.
    package static func scatter(_ outcome: DemoOutcome, cx: Int, cy: Int, panels: [Panel], caption: String) -> SVG {
        let truth = outcome.dataset.truth, observed = outcome.observed
        let side = 270.0, marginLeft = 52.0, gap = 28.0, top = 66.0
        var svg = SVG(width: marginLeft + Double(panels.count) * (side + marginLeft + gap) - marginLeft + 10,
                      height: top + side + 62)
        svg.text(caption, x: 14, y: 22, size: 15, weight: "bold")

        let xs = truth.column(cx).map(Double.init), ys = truth.column(cy).map(Double.init)
        let xRange = padded(xs.min()!...xs.max()!), yRange = padded(ys.min()!...ys.max()!)
        let rows = 0..<truth.rows
        let complete = rows.filter { observed[$0, cx] != 0 && observed[$0, cy] != 0 }
        let partial = rows.filter { (observed[$0, cx] == 0) != (observed[$0, cy] == 0) }
        let neither = rows.count - complete.count - partial.count

        for (p, panel) in panels.enumerated() {
            let left = marginLeft + Double(p) * (side + marginLeft + gap)
            let area = PlotArea(left: left, top: top, width: side, height: side, xRange: xRange, yRange: yRange)
            area.drawAxes(on: &svg, xLabel: outcome.dataset.columns[cx], yLabel: outcome.dataset.columns[cy],
                          xTicks: niceTicks(xRange), yTicks: niceTicks(yRange))
            let clip = "clip-\(outcome.dataset.slug)-\(p)"
            svg.clipRect(id: clip, x: left, y: top, width: side, height: side)
            func points(_ m: Matrix, _ which: [Int]) -> [(Double, Double)] {
                which.map { (area.px(Double(m[$0, cx])), area.py(Double(m[$0, cy]))) }
            }
            let title: String, note: String
            switch panel {
            case .truth:
                svg.dots(points(truth, Array(rows)), radius: 1.5, fill: "#333", opacity: 0.55, clip: clip)
                title = "truth"
                note = "\(truth.rows) rows"
            case .masked:
                svg.dots(points(truth, complete), radius: 1.5, fill: "#333", opacity: 0.55, clip: clip)
                var d = ""
                for i in partial {
                    if observed[i, cx] != 0 {
                        d += "M\(f(area.px(Double(truth[i, cx])))) \(f(top + side))v-9"
                    } else {
                        d += "M\(f(left)) \(f(area.py(Double(truth[i, cy]))))h9"
                    }
                }
                svg.add(#"<path d="\#(d)" stroke="\#(maskColor)" stroke-opacity="0.35" stroke-width="1"/>"#)
                title = "masked (40% MCAR)"
                note = "\(complete.count) complete; \(partial.count) ticks: observed coordinate; \(neither) with none"
            case let .imputed(name, m, color):
                let imputed = rows.filter { observed[$0, cx] == 0 || observed[$0, cy] == 0 }
                svg.dots(points(m, complete), radius: 1.5, fill: "#999", opacity: 0.35, clip: clip)
                svg.dots(points(m, imputed), radius: 1.6, fill: color, opacity: 0.6, clip: clip)
                title = name
                note = "\(imputed.count) rows with an imputed coordinate (colour)"
            }
            svg.text(title, x: left + side / 2, y: top - 24, size: 13, anchor: "middle", weight: "bold")
            svg.text(note, x: left + side / 2, y: top - 9, size: 9.5, anchor: "middle", fill: "#555")
        }
        return svg
    }

    /// MIRI's RMSE and W1 (standardized scale) by round, one row of two panels per table, with
    /// mean and kNN as dashed reference lines. Round 0 is the noise fill MIRI starts from.
    package static func convergence(_ outcomes: [DemoOutcome], caption: String) -> SVG {
        let w = 330.0, h = 200.0, left = 62.0, gapX = 70.0, top = 70.0, gapY = 78.0
        var svg = SVG(width: left + 2 * w + gapX + 20, height: top + Double(outcomes.count) * (h + gapY) - 10)
        svg.text(caption, x: 14, y: 22, size: 15, weight: "bold")
        let legend: [(String, String, String?)] = [("MIRI by round", miriColor, nil), ("kNN", knnColor, "6 4"),
                                                    ("mean", meanColor, "6 4")]
        for (k, item) in legend.enumerated() {
            let x = 14 + Double(k) * 130
            svg.line(x, 42, x + 26, 42, stroke: item.1, width: 2.5, dash: item.2)
            svg.text(item.0, x: x + 32, y: 46, size: 11.5)
        }
        for (r, outcome) in outcomes.enumerated() {
            let y0 = top + Double(r) * (h + gapY)
            let metrics: [(String, (RoundScore) -> Double, (MethodScore) -> Double)] = [
                ("RMSE", { $0.rmse }, { $0.rmse }), ("W1", { $0.w1 }, { $0.w1 }),
            ]
            for (c, metric) in metrics.enumerated() {
                let x0 = left + Double(c) * (w + gapX)
                let series = outcome.rounds.map { (Double($0.round), metric.1($0)) }
                let references = ["knn", "mean"].compactMap { outcome.score($0) }.map { metric.2($0) }
                let values = series.map(\.1) + references
                let yRange = padded(0...max(values.max() ?? 1, 1e-3), by: 0.08, keepZero: true)
                let lastRound = Double(max(outcome.rounds.last?.round ?? 1, 1))
                let area = PlotArea(left: x0, top: y0, width: w, height: h, xRange: 0...lastRound, yRange: yRange)
                area.drawAxes(on: &svg, xLabel: "round", yLabel: metric.0,
                              xTicks: niceTicks(0...lastRound, count: min(Int(lastRound), 10)), yTicks: niceTicks(yRange))
                for (name, color) in [("knn", knnColor), ("mean", meanColor)] {
                    guard let score = outcome.score(name) else { continue }
                    let v = metric.2(score)
                    svg.line(area.px(0), area.py(v), area.px(lastRound), area.py(v), stroke: color, width: 2, dash: "6 4")
                }
                let pts = series.map { (area.px($0.0), area.py($0.1)) }
                svg.polyline(pts, stroke: miriColor, width: 2.5)
                svg.dots(pts, radius: 3, fill: miriColor)
                let title = "\(outcome.dataset.title): \(metric.0)"
                    + (metric.0 == "RMSE" ? " over the masked cells" : ", mean over columns")
                svg.text(title, x: x0 + w / 2, y: y0 - 10, size: 12.5, anchor: "middle", weight: "bold")
            }
        }
        return svg
    }

    /// `range` widened by `by` of its span at each end (or from 0 upwards with `keepZero`).
    static func padded(_ range: ClosedRange<Double>, by share: Double = 0.06, keepZero: Bool = false) -> ClosedRange<Double> {
        let span = max(range.upperBound - range.lowerBound, 1e-9)
        let low = keepZero ? range.lowerBound : range.lowerBound - share * span
        return low...(range.upperBound + share * span)
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
