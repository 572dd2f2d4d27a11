import Foundation

/// What one load run measured: how many answers, over how long, and each answer's latency.
struct LoadResult: Sendable {
    /// Answers with the expected status code.
    var ok: Int
    /// Answers with another status code, or connections that failed.
    var errors: Int
    /// Seconds from the first request to the last answer.
    var seconds: Double
    /// Each answer's latency (request written to last body byte read), in seconds, sorted.
    var latencies: [Double]
    /// Bytes of the last answer's body.
    var bodyBytes: Int

    /// Answers per second.
    var requestsPerSecond: Double { seconds > 0 ? Double(ok) / seconds : 0 }
    /// The median latency, in milliseconds.
    var p50Milliseconds: Double { Stats.percentile(latencies, 0.50) * 1000 }
    /// The 99th-percentile latency, in milliseconds.
    var p99Milliseconds: Double { Stats.percentile(latencies, 0.99) * 1000 }
}
