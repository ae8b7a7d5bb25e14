/// How the re-imputation ODE dx/dt = (1−o)⊙f(x, x, o, t) is integrated over t ∈ [0, 1].
///
/// SPEC step 2d says Euler. Euler with N steps narrows the spread of the draws: for a Gaussian
/// source and target of equal variance the exact flow keeps the variance, Euler keeps a factor
/// 0.879 of it at N = 20 (0.975 at N = 100), and MIRI's rounds compound that, since each round
/// trains on the last one's draws (docs/calibration.md). The midpoint rule evaluates the network
/// twice per step and keeps 0.9997 at N = 10 — the cost of 20 Euler steps.
public enum ODESolver: String, Sendable, Codable, CaseIterable {
    /// x ← x + h·v(x, t): one evaluation per step (SPEC).
    case euler
    /// x ← x + h·v(x + (h/2)·v(x, t), t + h/2): two evaluations per step, second order.
    case midpoint
    /// x ← x + (h/2)·(k1 + k2), k1 = v(x, t), k2 = v(x + h·k1, t + h): two evaluations per step, second order.
    case heun

    /// Network evaluations per step.
    public var evaluationsPerStep: Int { self == .euler ? 1 : 2 }
}
