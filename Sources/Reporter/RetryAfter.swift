import Foundation

/// The `Retry-After` response header (RFC 9110 §10.2.3).
enum RetryAfter {
    /// The delay in seconds that `value` asks for at `now`: either a non-negative integer of
    /// seconds, or an HTTP date (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete
    /// RFC 850 and asctime forms) from which `now` is subtracted (a past date gives 0).
    /// Nil when the header is malformed.
    static func seconds(_ value: String, now: Date) -> TimeInterval? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
            return TimeInterval(text.prefix(9))  // beyond 9 digits (31 years) is the same as "very long"
        }
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }

    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",  // IMF-fixdate
        "EEEE, dd-MMM-yy HH:mm:ss zzz",  // RFC 850
        "EEE MMM d HH:mm:ss yyyy",  // asctime
    ]
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
