extension MIRIConfiguration {
    /// The settings of a run on `rows` × `columns` in one line, as the tool's final summary
    /// prints them: the epochs, side-by-side imputations and hidden widths this table gets (the
    /// widths widened with the table), the seed last.
    public func summary(preset: String, rows: Int, columns: Int) -> String {
        "miri (preset \(preset): \(rounds) rounds, \(epochs(forRows: rows)) epochs, batch \(batchSize), "
            + "\(odeSteps) ODE steps (\(odeSolver.rawValue)), hidden \(hiddenWidths(columns: columns).map(String.init).joined(separator: ",")), "
            + "lr \(learningRate)" + (warmStart ? ", warm-started rounds" : "")
            + (chainRows.map { ", \(chains(forRows: rows)) imputation(s) side by side (\($0) rows)" } ?? "")
            + (weightAverageDecay.map { ", weight average \($0)" } ?? "")
            + (observedPartnerWeight.map { ", observed partners weighted 1 + \($0)" } ?? "")
            + (memberCount > 1 ? ", \(memberCount) members" : "") + ", seed \(seed))"
    }
}
