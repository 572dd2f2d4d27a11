import Foundation

/// Percentiles and medians of samples, for the benchmark's figures.
enum Stats {
    /// The `p`-th quantile (0...1) of `sorted` by the nearest-rank method; 0 when empty.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((Double(sorted.count) * p).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    /// The median of `values` (the mean of the two middle ones for an even count); 0 when empty.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// `values` joined as `a / b / c`, each with `format`: every run's figure beside the median.
    static func runs(_ values: [Double], _ format: String) -> String {
        values.map { String(format: format, $0) }.joined(separator: " / ")
    }
}
