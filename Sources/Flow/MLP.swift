import Linalg

/// The velocity network: Linear → SiLU → … → Linear, with every weight and bias in one flat buffer.
///
/// Shapes: `widths = [D0, D1, …, DL]`; layer l maps D(l−1) → D(l). SiLU follows every
/// layer but the last. Layer l's weight is stored as a D(l−1) × D(l) row-major block
/// (input-major, so the forward pass is `A · W` with no transpose), followed by its bias (D(l)).
/// The network itself holds no activations: `MLPWorkspace` does, so one trained
/// network can serve several workspaces.
package final class MLP: @unchecked Sendable {
    package let widths: [Int]
    /// All weights and biases, layer after layer.
    package let parameters: FloatBuffer

    /// Offsets of one layer's blocks inside `parameters`.
    package struct Layer: Sendable {
        package let fanIn: Int
        package let fanOut: Int
        package let weightOffset: Int
        package let biasOffset: Int
        /// Where this layer's weights and bias sit in `parameters`.
        package var parameterRange: Range<Int> { weightOffset..<(biasOffset + fanOut) }
    }
    package let layers: [Layer]

    package var inputWidth: Int { widths.first! }
    package var outputWidth: Int { widths.last! }
    package var parameterCount: Int { parameters.count }

    /// A network with zero parameters; `initialize(using:)` gives it PyTorch's default init.
    package init(widths: [Int]) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 }, "an MLP needs at least two positive widths")
        self.widths = widths
        var layers: [Layer] = []
        var offset = 0
        for l in 1..<widths.count {
            let fanIn = widths[l - 1], fanOut = widths[l]
            layers.append(Layer(fanIn: fanIn, fanOut: fanOut, weightOffset: offset, biasOffset: offset + fanIn * fanOut))
            offset += fanIn * fanOut + fanOut
        }
        self.layers = layers
        parameters = FloatBuffer(count: offset)
    }

    /// A network with PyTorch's `nn.Linear` default init: weights and biases ~ U(−1/√fan_in, 1/√fan_in).
    package convenience init(widths: [Int], random: inout RandomSource) {
        self.init(widths: widths)
        initialize(using: &random)
    }

    package func initialize(using random: inout RandomSource) {
        let p = parameters.pointer
        for layer in layers {
            let bound = 1 / Float(layer.fanIn).squareRoot()
            for i in 0..<(layer.fanIn * layer.fanOut) { p[layer.weightOffset + i] = random.uniformFloat(in: -bound, bound) }
            for i in 0..<layer.fanOut { p[layer.biasOffset + i] = random.uniformFloat(in: -bound, bound) }
        }
    }

    /// A deep copy.
    package func copy() -> MLP {
        let other = MLP(widths: widths)
        other.parameters.pointer.update(from: parameters.pointer, count: parameters.count)
        return other
    }

    /// Multiply–add count of one forward pass per row (2 flops each); backward costs about twice it.
    package var multiplyAddsPerRow: Int { layers.reduce(0) { $0 + $1.fanIn * $1.fanOut } }
}

/// Activations of one forward pass for up to `capacity` rows, kept for the backward pass.
///
/// Per hidden layer l: `z` (pre-activation), `sigma` (σ(z)) and `h` (= z·σ(z)), each capacity × D(l);
/// `output` is capacity × DL; `gradA`/`gradB` are ping-pong buffers for the backward pass.
package final class MLPWorkspace: @unchecked Sendable {
    package let capacity: Int
    let z: [FloatBuffer]
    let sigma: [FloatBuffer]
    let h: [FloatBuffer]
    package let output: FloatBuffer
    let gradA: FloatBuffer
    let gradB: FloatBuffer

    package init(network: MLP, capacity: Int) {
        self.capacity = capacity
        let hidden = network.widths.dropFirst().dropLast()
        z = hidden.map { FloatBuffer(count: capacity * $0) }
        sigma = hidden.map { FloatBuffer(count: capacity * $0) }
        h = hidden.map { FloatBuffer(count: capacity * $0) }
        output = FloatBuffer(count: capacity * network.outputWidth)
        let widest = hidden.max() ?? 1
        gradA = FloatBuffer(count: capacity * widest)
        gradB = FloatBuffer(count: capacity * widest)
    }
}
