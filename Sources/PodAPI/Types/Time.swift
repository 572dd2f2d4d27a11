import Foundation

/// A Kubernetes `metav1.Time`: a UTC instant that renders as RFC 3339 with seconds precision,
/// e.g. `2026-11-29T09:47:23Z`, as the API server writes it.
public struct Time: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The instant.
    public var date: Date

    public init(_ date: Date) { self.date = date }

    /// The current instant.
    public static func now() -> Time { Time(Date()) }

    public static func < (a: Time, b: Time) -> Bool { a.date < b.date }

    public var description: String { Time.format(date) }

    /// Renders `date` as `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC.
    public static func format(_ date: Date) -> String {
        let secs = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = secs - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
    }

    /// Parses RFC 3339 (`2026-11-29T09:47:23Z`, optional fraction, `Z` or `±hh:mm`); nil when malformed.
    public static func parse(_ s: String) -> Time? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Time(d) }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return Time(d) }
        return nil
    }

    // Howard Hinnant's days -> civil date.
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let t = Time.parse(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid RFC 3339 time \"\(s)\"")
        }
        self = t
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
