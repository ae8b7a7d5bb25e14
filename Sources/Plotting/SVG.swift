import Foundation

/// A hand-written SVG document: elements appended as text, no dependency.
/// Shared by `miri demo`'s pictures and `miri-bench quality`'s chart.
public struct SVG {
    public var width: Double
    public var height: Double
    private var elements: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
        elements.append(#"<rect width="100%" height="100%" fill="white"/>"#)
    }

    public mutating func add(_ element: String) { elements.append(element) }

    public mutating func text(_ s: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                       weight: String = "normal", fill: String = "#222", rotate: Bool = false) {
        let transform = rotate ? #" transform="rotate(-90 \#(n(x)) \#(n(y)))""# : ""
        add(#"<text x="\#(n(x))" y="\#(n(y))" font-size="\#(n(size))" text-anchor="\#(anchor)" font-weight="\#(weight)" fill="\#(fill)"\#(transform)>\#(Self.escape(s))</text>"#)
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil, opacity: Double = 1) {
        let dashed = dash.map { #" stroke-dasharray="\#($0)""# } ?? ""
        add(#"<line x1="\#(n(x1))" y1="\#(n(y1))" x2="\#(n(x2))" y2="\#(n(y2))" stroke="\#(stroke)" stroke-width="\#(n(width))" stroke-opacity="\#(n(opacity))"\#(dashed)/>"#)
    }

    public mutating func rect(x: Double, y: Double, width w: Double, height h: Double, fill: String = "none",
                       stroke: String = "#444") {
        add(#"<rect x="\#(n(x))" y="\#(n(y))" width="\#(n(w))" height="\#(n(h))" fill="\#(fill)" stroke="\#(stroke)"/>"#)
    }

    /// Many dots of one style as one path of tiny circles (two arcs each): compact and fast to render.
    public mutating func dots(_ points: [(Double, Double)], radius r: Double, fill: String, opacity: Double = 1,
                       clip: String? = nil) {
        guard !points.isEmpty else { return }
        var d = ""
        d.reserveCapacity(points.count * 40)
        for (x, y) in points {
            d += "M\(n(x - r)) \(n(y))a\(n(r)) \(n(r)) 0 1 0 \(n(2 * r)) 0a\(n(r)) \(n(r)) 0 1 0 \(n(-2 * r)) 0"
        }
        let clipped = clip.map { #" clip-path="url(#\#($0))""# } ?? ""
        add(#"<path d="\#(d)" fill="\#(fill)" fill-opacity="\#(n(opacity))"\#(clipped)/>"#)
    }

    /// A polyline through `points`.
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil) {
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        let dashed = dash.map { #" stroke-dasharray="\#($0)""# } ?? ""
        add(#"<polyline points="\#(list)" fill="none" stroke="\#(stroke)" stroke-width="\#(n(width))"\#(dashed)/>"#)
    }

    public mutating func clipRect(id: String, x: Double, y: Double, width w: Double, height h: Double) {
        add(#"<clipPath id="\#(id)"><rect x="\#(n(x))" y="\#(n(y))" width="\#(n(w))" height="\#(n(h))"/></clipPath>"#)
    }

    public var document: String {
        #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(n(width))" height="\#(n(height))" viewBox="0 0 \#(n(width)) \#(n(height))" font-family="Helvetica, Arial, sans-serif">"#
            + "\n" + elements.joined(separator: "\n") + "\n</svg>\n"
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// A number for SVG attributes: two decimals, trailing zeros dropped.
private func n(_ v: Double) -> String {
    var s = String(format: "%.2f", v)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
}

/// Maps data coordinates into a rectangle of the picture (y up).
public struct PlotArea {
    public var left: Double, top: Double, width: Double, height: Double
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>

    public init(left: Double, top: Double, width: Double, height: Double,
                xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
        self.left = left; self.top = top; self.width = width; self.height = height
        self.xRange = xRange; self.yRange = yRange
    }

    public func px(_ x: Double) -> Double {
        left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width
    }

    public func py(_ y: Double) -> Double {
        top + height - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
    }

    /// Frame, grid ticks with labels.
    /// `xFormat` labels the x ticks when given (e.g. a log axis), else `format` labels both axes.
    public func drawAxes(on svg: inout SVG, xLabel: String, yLabel: String, xTicks: [Double], yTicks: [Double],
                  format: (Double) -> String = { String(format: "%g", $0) }, xFormat: ((Double) -> String)? = nil) {
        for t in xTicks where xRange.contains(t) {
            svg.line(px(t), top, px(t), top + height, stroke: "#e4e4e4")
            svg.text(xFormat.map { $0(t) } ?? format(t), x: px(t), y: top + height + 14, size: 10, anchor: "middle", fill: "#555")
        }
        for t in yTicks where yRange.contains(t) {
            svg.line(left, py(t), left + width, py(t), stroke: "#e4e4e4")
            svg.text(format(t), x: left - 5, y: py(t) + 3.5, size: 10, anchor: "end", fill: "#555")
        }
        svg.rect(x: left, y: top, width: width, height: height)
        svg.text(xLabel, x: left + width / 2, y: top + height + 30, size: 11, anchor: "middle")
        svg.text(yLabel, x: left - 32, y: top + height / 2, size: 11, anchor: "middle", rotate: true)
    }
}

/// About `count` round tick values covering `range` (steps of 1, 2 or 5 times a power of ten).
public func niceTicks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return [range.lowerBound] }
    let raw = span / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var t = ceil(range.lowerBound / step) * step
    while t <= range.upperBound + step * 1e-9 {
        ticks.append(abs(t) < step * 1e-9 ? 0 : t)
        t += step
    }
    return ticks
}
