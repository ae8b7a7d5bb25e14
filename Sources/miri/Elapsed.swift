import Dispatch

/// Wall seconds since `start`, for the tool's summary lines.
func elapsedSeconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
