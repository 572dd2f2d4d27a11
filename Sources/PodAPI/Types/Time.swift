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
    /// The API's own form (UTC, seconds) is parsed by hand; other forms by ISO8601DateFormatter.
    public static func parse(_ s: String) -> Time? {
        if let t = parseUTCSeconds(s) { return t }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Time(d) }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return Time(d) }
        return nil
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` exactly, without a formatter.
    private static func parseUTCSeconds(_ s: String) -> Time? {
        let u = Array(s.utf8)
        guard u.count == 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 90 else { return nil }
        func num(_ a: Int, _ b: Int) -> Int64? {
            var v: Int64 = 0
            for i in a..<b {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
            let sec = num(17, 19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61
        else { return nil }
        let days = daysFromCivil(y, mo, d)
        return Time(Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + mi * 60 + sec)))
    }

    // Howard Hinnant's civil date -> days since 1970-01-01.
    private static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
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

    /// The first and last instants the API can write (0000-01-01T00:00:00Z and
    /// 9999-12-31T23:59:59Z), in seconds since 1970: Go's `Time.MarshalJSON` refuses the others.
    static let writableSeconds: ClosedRange<Double> = -62_167_219_200...253_402_300_799

    /// Decodes an RFC 3339 string (see ``parse(_:)``) to whole seconds, as the API writes it, so
    /// that a decoded time encodes to a string that decodes to the same time (a fraction would be
    /// dropped by the encoding only).
    /// - Throws: `DecodingError.dataCorrupted` for a string that is not RFC 3339, or whose instant
    ///   falls outside years 0000 to 9999 in UTC (`0000-01-01T00:00:00+01:00`), which the API
    ///   cannot write ("Time.MarshalJSON: year outside of range [0,9999]").
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let t = Time.parse(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid RFC 3339 time \"\(s)\"")
        }
        let seconds = t.date.timeIntervalSince1970.rounded(.down)
        guard Self.writableSeconds.contains(seconds) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "time \"\(s)\": Time.MarshalJSON: year outside of range [0,9999]")
        }
        self = Time(Date(timeIntervalSince1970: seconds))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
