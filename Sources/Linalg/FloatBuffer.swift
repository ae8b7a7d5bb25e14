/// A fixed-size, zero-initialised block of `Float`s with a stable address.
///
/// The network keeps parameters, gradients, optimizer moments and activations in
/// these, so the training loop hands raw pointers straight to sgemm and the SIMD
/// kernels without copies or allocation.
package final class FloatBuffer: @unchecked Sendable {
    package let count: Int
    package let pointer: UnsafeMutablePointer<Float>

    package init(count: Int) {
        precondition(count >= 0)
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    package convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    package subscript(i: Int) -> Float {
        get { precondition(i >= 0 && i < count); return pointer[i] }
        set { precondition(i >= 0 && i < count); pointer[i] = newValue }
    }

    package var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    package func copy() -> FloatBuffer {
        let other = FloatBuffer(count: count)
        other.pointer.update(from: pointer, count: count)
        return other
    }

    package func fill(_ value: Float) { pointer.update(repeating: value, count: count) }
}
